/**
 * The receive pipeline, the throughput target: what a node does for each new envelope in a
 * Messages packet addressed to one of its chat keys. Decode the packet, hash the envelope, look the
 * hash up in the duplicate cache, run go-ethereum's checks (PoW included), remember the hash, and
 * open the symmetric v1 payload, recovering the signer. The same calls, in the same order, as
 * `EnvelopeProtocol` in @parley/protocol-whisper, minus the pool, the events and the relay. The
 * reference is the same pipeline in C (native/ref_envelope.c: strict RLP decoding, keccak, a hash
 * table, OpenSSL AES-GCM with the key schedule done once, libsecp256k1 recovery).
 */
import { bytesToHex, type Secp256k1Provider, type SymmetricKey } from '@parley/crypto'
import { type DecodedPayload, decodeEnvelopes, envelopeHash, open } from '@parley/envelope'
import { VerificationError } from '@parley/interfaces'
import { ExpiringSet } from '@parley/protocol-whisper'
import { RECEIVE_PIPELINE_TARGET } from '../targets.ts'
import type { BenchCase } from '../types.ts'
import {
  chatKey,
  ENVELOPE_NOW,
  nodeSecp256k1,
  providerLabel,
  symmetricEnvelopes,
  validateAtBenchTime,
} from './envelope-inputs.ts'
import { consume } from './inputs.ts'

/** Distinct envelopes cycled through; the duplicate cache is cleared when the cycle restarts. */
const STOCK = 512

export interface Receiver {
  secp256k1: Secp256k1Provider
  symKey: SymmetricKey
  /** the duplicate cache, as the protocol keeps it (hex hash → expiry) */
  seen: ExpiringSet<string>
}

/**
 * One Messages packet through the pipeline. Returns the opened messages; a duplicate or an envelope
 * that fails a check yields none.
 */
export function receivePacket(receiver: Receiver, packet: Uint8Array): DecodedPayload[] {
  const opened: DecodedPayload[] = []
  for (const envelope of decodeEnvelopes(packet)) {
    const hash = `0x${bytesToHex(envelopeHash(envelope))}`
    if (receiver.seen.has(hash, ENVELOPE_NOW)) continue
    if (!validateAtBenchTime(envelope).ok) continue
    receiver.seen.add(hash, envelope.expiry)
    opened.push(open(envelope.data, { symKey: receiver.symKey, secp256k1: receiver.secp256k1 }))
  }
  return opened
}

async function pipelineCase(signed: boolean): Promise<BenchCase> {
  const secp256k1 = await nodeSecp256k1()
  const receiver: Receiver = { secp256k1, symKey: chatKey(), seen: new ExpiringSet(10_000) }
  let packets: Uint8Array[] = []
  let next = 0
  const run = (iterations: number): undefined => {
    for (let i = 0; i < iterations; i++) {
      if (next === packets.length) {
        next = 0
        receiver.seen.clear()
      }
      const [message] = receivePacket(receiver, packets[next++]!)
      if (message === undefined) throw new VerificationError('the pipeline dropped a fresh, valid envelope')
      consume(message.payload)
    }
  }
  return {
    id: signed ? 'receive-pipeline-1k' : 'receive-pipeline-1k-unsigned',
    group: 'receive-pipeline',
    unit: 'ops/s',
    provider: providerLabel(secp256k1, `${signed ? 'signed (as Status sends)' : 'unsigned'}, per CPU-second`),
    // native/ref_envelope.c: the same steps in C, also timed by CPU time
    reference: signed ? 'receive-pipeline-1k' : 'receive-pipeline-1k-unsigned',
    // the target is for what Status sends: signed messages
    target: signed ? RECEIVE_PIPELINE_TARGET : undefined,
    async setup() {
      packets = (await symmetricEnvelopes(STOCK, receiver.symKey, signed)).packets
    },
    cpuTime: true,
    run,
  }
}

export async function receiveCases(): Promise<BenchCase[]> {
  return [await pipelineCase(true), await pipelineCase(false)]
}
