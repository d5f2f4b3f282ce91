/** Whisper v6 / Waku v1 decoders on untrusted bytes: only DecodeError, and decode∘encode round trips. */
import {
  decodeBatchAck,
  decodeBloomFilter,
  decodeEnvelope,
  decodeEnvelopes,
  decodeMessageResponse,
  decodePowRequirement,
  decodeWakuStatus,
  decodeWhisperStatus,
  encodeEnvelope,
  encodeEnvelopes,
  encodeMessageResponse,
  encodeWakuStatus,
  encodeWhisperStatus,
  envelopeHash,
  topicToBloom,
} from '@parley/envelope'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envelopeOf, garbage, onlyDecodeError, topic } from './arbitraries.ts'

const decoders: Array<[string, (bytes: Uint8Array) => unknown]> = [
  ['decodeEnvelope', decodeEnvelope],
  ['decodeEnvelopes', decodeEnvelopes],
  ['decodeWhisperStatus', decodeWhisperStatus],
  ['decodeWakuStatus', decodeWakuStatus],
  ['decodePowRequirement', decodePowRequirement],
  ['decodeBloomFilter', decodeBloomFilter],
  ['decodeBatchAck', decodeBatchAck],
  ['decodeMessageResponse', decodeMessageResponse],
]

describe('garbage only ever yields DecodeError', () => {
  for (const [name, decode] of decoders) {
    it(name, () => {
      fc.assert(
        fc.property(garbage, (bytes) => onlyDecodeError(decode, bytes)),
        { numRuns: 300 },
      )
    })
  }
})

const envelope = envelopeOf(200)

describe('round trips', () => {
  it('envelopes, and a decoded envelope re-encodes to the bytes it came from', () => {
    fc.assert(
      fc.property(fc.array(envelope, { maxLength: 4 }), (envelopes) => {
        const payload = encodeEnvelopes(envelopes)
        const decoded = decodeEnvelopes(payload)
        expect(decoded).toEqual(envelopes)
        for (const [i, one] of decoded.entries()) {
          expect(encodeEnvelope(one)).toEqual(encodeEnvelope(envelopes[i]!))
          expect(envelopeHash(one)).toEqual(envelopeHash(envelopes[i]!))
        }
      }),
    )
  })

  it('decode then encode reproduces any envelope bytes that decode', () => {
    fc.assert(
      fc.property(garbage, (bytes) => {
        let decoded: ReturnType<typeof decodeEnvelope>
        try {
          decoded = decodeEnvelope(bytes)
        } catch {
          return
        }
        expect(encodeEnvelope(decoded)).toEqual(bytes)
      }),
      { numRuns: 300 },
    )
  })

  const pow = fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })
  const bloom = topic.map(topicToBloom)

  it('whisper status', () => {
    const status = fc.record(
      { pow, bloom, isLightNode: fc.boolean(), confirmationsEnabled: fc.boolean() },
      { requiredKeys: ['pow', 'isLightNode'] },
    )
    fc.assert(
      fc.property(status, (value) => {
        expect(decodeWhisperStatus(encodeWhisperStatus(value))).toEqual(value)
      }),
    )
  })

  it('waku status options', () => {
    const limits = fc.record({
      ip: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      peerId: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      topic: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    })
    const options = fc.record(
      {
        pow,
        bloom,
        lightNode: fc.boolean(),
        confirmationsEnabled: fc.boolean(),
        rateLimits: limits,
        topicInterest: fc.array(topic, { maxLength: 5 }),
        bytesRateLimits: limits,
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(options, (value) => {
        expect(decodeWakuStatus(encodeWakuStatus(value))).toEqual(value)
      }),
    )
  })

  it('message response', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 })
    const response = fc.record({
      hash,
      errors: fc.array(fc.record({ hash, code: fc.nat(), description: fc.string({ maxLength: 20 }) }), {
        maxLength: 3,
      }),
    })
    fc.assert(
      fc.property(response, (value) => {
        expect(decodeMessageResponse(encodeMessageResponse(value))).toEqual(value)
      }),
    )
  })
})
