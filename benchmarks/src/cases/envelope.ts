/**
 * The Whisper v6 / Waku v1 envelope on receive, one step at a time: symmetric open, asymmetric trial
 * decryption with 1 and 10 identities, verification (hash + PoW), and the bloom match.
 */
import { createDecipheriv, createSecretKey } from 'node:crypto'
import { keccak256 } from '@parley/crypto'
import {
  AES_NONCE_LENGTH,
  AES_TAG_LENGTH,
  bloomMatches,
  type Envelope,
  encodeEnvelope,
  envelopeHash,
  mergeBlooms,
  open,
  seal,
  topicToBloom,
} from '@parley/envelope'
import { VerificationError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { IN_PROCESS_PREFIX } from '../in-process.ts'
import type { BenchCase } from '../types.ts'
import {
  chatKey,
  nodeSecp256k1,
  PAYLOAD_LENGTH,
  payload,
  providerLabel,
  sealedEnvelope,
  validateAtBenchTime,
} from './envelope-inputs.ts'
import { consume, consumeFlag, fillPattern } from './inputs.ts'

/** `open` of an unsigned symmetric payload, against node:crypto's AES-256-GCM on the same bytes. */
async function openSymmetricCase(): Promise<BenchCase> {
  const secp256k1 = await nodeSecp256k1()
  const rawKey = fillPattern(32, 51)
  const symKey = chatKey()
  const data = seal({ payload: payload(0), symKey }, { secp256k1 })
  const keyObject = createSecretKey(rawKey)
  const split = data.length - AES_NONCE_LENGTH
  const nonce = data.subarray(split)
  const ciphertext = data.subarray(0, split - AES_TAG_LENGTH)
  const tag = data.subarray(split - AES_TAG_LENGTH, split)
  return {
    id: 'envelope-open-sym-1k',
    group: 'envelope-open',
    unit: 'ops/s',
    provider: '@parley/envelope open(), node:crypto, per CPU-second',
    cpuTime: true,
    reference: `${IN_PROCESS_PREFIX}aes-256-gcm-decrypt-1k`,
    inProcessReference: {
      id: `${IN_PROCESS_PREFIX}aes-256-gcm-decrypt-1k`,
      describe: `node:crypto createDecipheriv('aes-256-gcm') on the same ${data.length} bytes, KeyObject made once`,
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          const decipher = createDecipheriv('aes-256-gcm', keyObject, nonce)
          decipher.setAuthTag(tag)
          consume(decipher.update(ciphertext))
          decipher.final()
        }
        return undefined
      },
    },
    run(iterations) {
      for (let i = 0; i < iterations; i++) consume(open(data, { symKey, secp256k1 }).payload)
      return undefined
    },
  }
}

/**
 * A node watching `keys.length` identities tries each private key on an asymmetric envelope until
 * one opens it; the envelope is for the last, so the others fail first (ECDH, KDF, MAC mismatch).
 */
async function trialDecryptionCase(identities: number): Promise<BenchCase> {
  const secp256k1 = await nodeSecp256k1()
  const keys = Array.from({ length: identities }, (_, i) => fillPattern(32, 60 + i))
  const recipient = keys[identities - 1]!
  const data = seal(
    { payload: payload(0), publicKey: secp256k1.getPublicKey(recipient, false) },
    { secp256k1 },
  )
  const trial = (): Uint8Array => {
    for (const privateKey of keys) {
      try {
        return open(data, { privateKey, secp256k1 }).payload
      } catch (error) {
        // a VerificationError means "not for this identity": try the next one
        if (!(error instanceof VerificationError)) throw error
      }
    }
    throw new VerificationError('no identity opened the envelope')
  }
  const label = identities === 1 ? '1-key' : `${identities}-keys`
  return {
    id: `envelope-open-asym-1k/${label}`,
    group: 'envelope-open-asym',
    unit: 'ops/s',
    provider: providerLabel(secp256k1, 'ECIES'),
    ...(identities === 1
      ? { reference: 'ecies-decrypt-1k' }
      : {
          referenceNote: `no reference: the C program has no trial loop; the work is ${identities} ECDH + KDF + MAC checks and one AES-128-CTR, so compare with ${identities}× the 1-key case`,
        }),
    run(iterations) {
      for (let i = 0; i < iterations; i++) consume(trial())
      return undefined
    },
  }
}

/** What a node checks on receive: the envelope hash (dedup id) and `validateEnvelope` (PoW etc.). */
async function verifyCase(): Promise<BenchCase> {
  const envelope: Envelope = await sealedEnvelope(fillPattern(PAYLOAD_LENGTH, 1))
  const wire = encodeEnvelope(envelope)
  const nonce = new Uint8Array(8)
  new DataView(nonce.buffer).setBigUint64(0, envelope.nonce)
  const powInput = Uint8Array.of(
    ...encode([envelope.expiry, envelope.ttl, envelope.topic, envelope.data]),
    ...nonce,
  )
  return {
    id: 'envelope-verify-1k',
    group: 'envelope-verify',
    unit: 'ops/s',
    provider: '@parley/envelope envelopeHash + validateEnvelope, per CPU-second',
    cpuTime: true,
    reference: `${IN_PROCESS_PREFIX}keccak256-x2-1k`,
    inProcessReference: {
      id: `${IN_PROCESS_PREFIX}keccak256-x2-1k`,
      describe: `the two keccak256 alone (${wire.length} B envelope RLP, ${powInput.length} B PoW input), default HashProvider, no RLP encoding or checks`,
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          consume(keccak256(wire))
          consume(keccak256(powInput))
        }
        return undefined
      },
    },
    run(iterations) {
      for (let i = 0; i < iterations; i++) {
        consume(envelopeHash(envelope))
        consumeFlag(validateAtBenchTime(envelope).ok)
      }
      return undefined
    },
  }
}

/** topic → bloom, then bloom ⊆ filter, for a node whose filter covers 10 topics; half the samples match. */
function bloomCase(): BenchCase {
  const topics = Array.from({ length: 20 }, (_, i) => fillPattern(4, 80 + i))
  const filter = mergeBlooms(...topics.slice(0, 10).map((topic) => topicToBloom(topic)))
  return {
    id: 'bloom-match',
    group: 'bloom-match',
    unit: 'ops/s',
    provider: '@parley/envelope topicToBloom + bloomMatches, per CPU-second',
    cpuTime: true,
    referenceNote:
      'no reference: a 64-byte subset test has no outside implementation worth comparing; the figure is absolute',
    run(iterations) {
      for (let i = 0; i < iterations; i++) {
        consumeFlag(bloomMatches(filter, topicToBloom(topics[i % topics.length]!)))
      }
      return undefined
    },
  }
}

export async function envelopeCases(): Promise<BenchCase[]> {
  return [
    await openSymmetricCase(),
    await trialDecryptionCase(1),
    await trialDecryptionCase(10),
    await verifyCase(),
    bloomCase(),
  ]
}
