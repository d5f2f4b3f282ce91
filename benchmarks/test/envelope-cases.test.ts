/**
 * The envelope, receive-pipeline and relay cases, each run for a tiny budget: they must produce
 * sane figures and do the work they claim (open the right message, drop duplicates, deliver every
 * envelope). No timing assertions.
 */
import { equalBytes } from '@parley/crypto'
import { encodeEnvelopes } from '@parley/envelope'
import { ExpiringSet } from '@parley/protocol-whisper'
import { describe, expect, it } from 'vitest'
import { envelopeCases } from '../src/cases/envelope.ts'
import {
  chatKey,
  nodeSecp256k1,
  payload,
  SENDER_KEY,
  symmetricEnvelopes,
} from '../src/cases/envelope-inputs.ts'
import { receiveCases, receivePacket } from '../src/cases/receive.ts'
import { RelayLink, relayCases, WAKU1, WHISPER } from '../src/cases/relay.ts'
import { IN_PROCESS_PREFIX } from '../src/in-process.ts'
import { measureRate } from '../src/measure.ts'
import { NativeReference } from '../src/native.ts'
import type { BenchCase } from '../src/types.ts'

const clock = () => performance.now()

/** Runs a case (and its in-process reference) for a few ms and checks the figures are usable. */
async function runBriefly(benchCase: BenchCase): Promise<void> {
  await benchCase.setup?.()
  try {
    const slice =
      benchCase.runFor !== undefined
        ? await benchCase.runFor(40, 1)
        : await measureRate(benchCase.run!, 20, clock)
    expect(slice.samples, benchCase.id).toBeGreaterThan(0)
    expect(Number.isFinite(slice.value) && slice.value > 0, `${benchCase.id}: ${slice.value}`).toBe(true)
    if (benchCase.inProcessReference !== undefined) {
      expect(benchCase.reference).toBe(benchCase.inProcessReference.id)
      expect(benchCase.reference?.startsWith(IN_PROCESS_PREFIX)).toBe(true)
      const reference = await measureRate(benchCase.inProcessReference.run, 20, clock)
      expect(reference.value).toBeGreaterThan(0)
    }
    // every case either has a reference or says why it has none
    expect(benchCase.reference ?? benchCase.referenceNote).toBeTruthy()
  } finally {
    await benchCase.teardown?.()
  }
}

describe('envelope cases', () => {
  it('each runs and reports a positive, finite rate', async () => {
    const cases = await envelopeCases()
    expect(cases.map((c) => c.id)).toEqual([
      'envelope-open-sym-1k',
      'envelope-open-asym-1k/1-key',
      'envelope-open-asym-1k/10-keys',
      'envelope-verify-1k',
      'bloom-match',
    ])
    for (const benchCase of cases) await runBriefly(benchCase)
  })
})

describe('receive pipeline', () => {
  it('opens a fresh envelope to the sent payload and signer, and drops its duplicate', async () => {
    const secp256k1 = await nodeSecp256k1()
    const symKey = chatKey()
    const { packets } = await symmetricEnvelopes(2, symKey, true)
    const receiver = { secp256k1, symKey, seen: new ExpiringSet<string>(100) }
    const [message] = receivePacket(receiver, packets[1]!)
    expect(equalBytes(message!.payload, payload(1))).toBe(true)
    expect(equalBytes(message!.signer!, secp256k1.getPublicKey(SENDER_KEY, false))).toBe(true)
    expect(receivePacket(receiver, packets[1]!)).toEqual([])
    expect(receivePacket(receiver, packets[0]!)).toHaveLength(1)
  })

  it('drops an envelope whose nonce no longer meets the pow', async () => {
    const secp256k1 = await nodeSecp256k1()
    const symKey = chatKey()
    const { envelopes } = await symmetricEnvelopes(1, symKey, false)
    const receiver = { secp256k1, symKey, seen: new ExpiringSet<string>(100) }
    // find a nonce whose hash has no leading zero bit: pow far below 0.002
    const weak = [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]
      .map((nonce) => encodeEnvelopes([{ ...envelopes[0]!, nonce }]))
      .filter((packet) => receivePacket({ ...receiver, seen: new ExpiringSet(100) }, packet).length === 0)
    expect(weak.length).toBeGreaterThan(0)
  })

  it('has the same pipeline in C as its reference, which opens every envelope it is given', async () => {
    const native = await NativeReference.create()
    expect(native.build.error).toBeUndefined()
    for (const id of ['receive-pipeline-1k', 'receive-pipeline-1k-unsigned']) {
      expect(native.unavailable(id)).toBeUndefined()
      // the C batch stops with a rate of 0 when an envelope fails to open
      const slice = await native.measure(id, 20, 1)
      expect(slice.value, id).toBeGreaterThan(0)
    }
  }, 120_000)

  it('registers the 5 000/s target on the signed case only, and both cases run', async () => {
    const cases = await receiveCases()
    expect(cases.map((c) => [c.id, c.target])).toEqual([
      ['receive-pipeline-1k', { minMedian: 5000 }],
      ['receive-pipeline-1k-unsigned', undefined],
    ])
    for (const benchCase of cases) await runBriefly(benchCase)
  })
})

describe('relay', () => {
  for (const [protocol, batch] of [
    [WHISPER, 1],
    [WAKU1, 8],
  ] as const) {
    it(`delivers every pre-sealed envelope over ${protocol.capability.name}/${protocol.capability.version}, ${batch} per packet`, async () => {
      const link = new RelayLink(protocol)
      await link.open()
      try {
        const envelopes = await link.seal(40)
        const sent = await link.pump(envelopes, batch, 16, 60_000)
        expect(sent).toBe(40)
        expect(link.arrived).toBe(40)
        // duplicates never arrive, so only the signal ends this wait
        const controller = new AbortController()
        const pumping = link.pump(envelopes.slice(0, batch), batch, 16, 60_000, { signal: controller.signal })
        setTimeout(() => controller.abort(), 50)
        await expect(pumping).rejects.toMatchObject({ name: 'AbortError' })
        expect(link.arrived).toBe(40)
      } finally {
        await link.close()
      }
    })
  }

  it('the relay cases run, report arrivals per second, and close their nodes', async () => {
    const cases = relayCases()
    expect(cases.map((c) => c.id)).toEqual(['relay-whisper-1k', 'relay-whisper-1k-batch64', 'relay-waku1-1k'])
    await runBriefly(cases[0]!)
  })
})
