/**
 * What a peer sends on code 126 is untrusted: whatever the bytes, `readRequest` returns a checked
 * request or throws a `MailserverRequestError` with a known reason, and a request it accepts is
 * always within the limits.
 */
import { generatePrivateKey } from '@parley/crypto'
import { encodeEnvelope, topicFromName } from '@parley/envelope'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type MailRequest,
  MailserverRequestError,
  mailserverSymKey,
  makeRequestEnvelope,
  readRequest,
} from '../src/index.ts'
import { secp256k1 } from './helpers.ts'

const T0 = 1_700_000_000
const symKey = await mailserverSymKey()
const keys = { secp256k1, symKey, privateKey: generatePrivateKey() }
const settings = { minRequestPow: 0, maxRangeSeconds: 86_400, acceptMessagesRequest: true, now: () => T0 }
const REASONS = new Set([
  'malformed',
  'unauthenticated',
  'pow-too-low',
  'invalid-range',
  'range-too-big',
  'limit-too-large',
  'no-bloom-or-topics',
])

function check(payload: Uint8Array): void {
  try {
    const { request, requestId } = readRequest(payload, keys, settings)
    expect(requestId).toHaveLength(32)
    expect(request.upper - request.lower).toBeLessThanOrEqual(86_400)
    expect(request.limit).toBeGreaterThan(0)
    expect(request.limit).toBeLessThanOrEqual(1000)
    expect(request.topics.length > 0 || request.bloom.length === 64).toBe(true)
  } catch (error) {
    expect(error).toBeInstanceOf(MailserverRequestError)
    expect(REASONS.has((error as MailserverRequestError).reason)).toBe(true)
  }
}

const valid: MailRequest = {
  lower: T0 - 3600,
  upper: T0,
  bloom: new Uint8Array(0),
  topics: [topicFromName('parley-a')],
  limit: 50,
  cursor: new Uint8Array(0),
  batch: true,
}
const template = encodeEnvelope(
  (
    await makeRequestEnvelope(
      { request: valid, symKey, signingKey: generatePrivateKey(), pow: 0 },
      { secp256k1, now: T0 },
    )
  ).envelope,
)

describe('readRequest on untrusted bytes', () => {
  it('accepts the template', () => {
    expect(readRequest(template, keys, settings).request.limit).toBe(50)
  })

  it('random bytes yield a checked request or a typed refusal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(bytes)),
      { numRuns: 400 },
    )
  })

  it('mutated and truncated request envelopes yield a checked request or a typed refusal', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: template.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.nat({ max: template.length }),
        (at, xor, cut) => {
          const mutated = template.slice()
          mutated[at] = mutated[at]! ^ xor
          check(mutated)
          check(template.subarray(0, cut))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('requests with arbitrary fields are accepted only within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          lower: fc.integer({ min: 0, max: 0xffff_ffff }),
          upper: fc.integer({ min: 0, max: 0xffff_ffff }),
          limit: fc.integer({ min: 0, max: 5000 }),
          withTopic: fc.boolean(),
          bloomLength: fc.constantFrom(0, 10, 64),
        }),
        async ({ lower, upper, limit, withTopic, bloomLength }) => {
          const request = {
            ...valid,
            lower,
            upper,
            limit,
            topics: withTopic ? valid.topics : [],
            bloom: new Uint8Array(bloomLength),
          }
          const { envelope } = await makeRequestEnvelope(
            { request, symKey, signingKey: keys.privateKey, pow: 0 },
            { secp256k1, now: T0 },
          )
          check(encodeEnvelope(envelope))
        },
      ),
      { numRuns: 60 },
    )
  })
})
