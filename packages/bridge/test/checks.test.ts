/** The ingress checks: every reason, and hostile bytes never throw. */
import {
  decodeEnvelope,
  encodeEnvelope,
  envelopePow,
  hexToTopic,
  sealEnvelope,
  topicToHex,
} from '@parley/envelope'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkV1Envelope, checkV2Message, DROP_REASONS, type IngressPolicy, SeenCache } from '../src/index.ts'
import { CONTENT_TOPIC, TOPIC } from './fakes.ts'

const NOW = 1_700_000_000_000
const policy: IngressPolicy = {
  topics: undefined,
  minPow: 0,
  maxPayloadSize: 1000,
  minRemainingTtl: 2,
  maxTimestampDrift: 20_000,
}

async function sealed(data: Uint8Array, ttl = 30): Promise<Uint8Array> {
  return encodeEnvelope(
    await sealEnvelope({ topic: hexToTopic(TOPIC), data, ttl, pow: 0 }, { now: NOW / 1000 }),
  )
}

describe('checkV1Envelope', () => {
  it('passes a live envelope, its timestamp being expiry − TTL', async () => {
    const envelope = await sealed(Uint8Array.of(1, 2, 3))
    const checked = checkV1Envelope(envelope, NOW + 5000, policy)
    expect(checked).toEqual({
      ok: true,
      crossing: {
        topic: hexToTopic(TOPIC),
        payload: Uint8Array.of(1, 2, 3),
        key: SeenCache.keyOf(hexToTopic(TOPIC), Uint8Array.of(1, 2, 3)),
        sentAt: NOW,
        expiry: NOW / 1000 + 30,
        envelope, // the original bytes, which v1 sides and Whisper's libp2p clients take unchanged
        pow: envelopePow(decodeEnvelope(envelope)),
      },
    })
  })

  it('names what it refuses', async () => {
    const envelope = await sealed(Uint8Array.of(1))
    expect(checkV1Envelope(envelope, NOW + 29_000, policy)).toEqual({ ok: false, reason: 'expired' })
    expect(checkV1Envelope(envelope, NOW, { ...policy, minPow: 1e9 })).toEqual({
      ok: false,
      reason: 'low-pow',
    })
    expect(checkV1Envelope(envelope, NOW, { ...policy, topics: new Set(['0x00000000']) })).toEqual({
      ok: false,
      reason: 'topic',
    })
    expect(checkV1Envelope(await sealed(new Uint8Array(1001)), NOW, policy)).toEqual({
      ok: false,
      reason: 'too-big',
    })
  })

  it('never throws on arbitrary bytes; what is not an envelope is malformed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const checked = checkV1Envelope(bytes, NOW, policy)
        if (!checked.ok) expect(DROP_REASONS).toContain(checked.reason)
      }),
      { numRuns: 500 },
    )
    expect(checkV1Envelope(Uint8Array.of(0xc0), NOW, policy)).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('checkV2Message', () => {
  const message = { topic: CONTENT_TOPIC, payload: Uint8Array.of(9), version: 1, timestamp: NOW, hash: '0x' }

  it('passes a version-1 message on a /waku/1 content topic', () => {
    expect(checkV2Message(message, NOW, policy)).toMatchObject({ ok: true, crossing: { sentAt: NOW } })
  })

  it('names what it refuses', () => {
    const refused = (changes: object, at = NOW) => checkV2Message({ ...message, ...changes }, at, policy)
    expect(refused({ topic: '/waku/1/0x1234/rfc26' })).toEqual({ ok: false, reason: 'topic' })
    expect(refused({ version: undefined })).toEqual({ ok: false, reason: 'version' })
    expect(refused({ payload: new Uint8Array(0) })).toEqual({ ok: false, reason: 'malformed' })
    expect(refused({ payload: new Uint8Array(1001) })).toEqual({ ok: false, reason: 'too-big' })
    expect(refused({}, NOW + 20_001)).toEqual({ ok: false, reason: 'stale' })
    expect(refused({}, NOW - 20_001)).toEqual({ ok: false, reason: 'stale' })
  })

  it('never throws on arbitrary messages', () => {
    const arbitrary = fc.record({
      topic: fc.oneof(
        fc.string(),
        fc.uint8Array({ minLength: 4, maxLength: 4 }).map((t) => `/waku/1/${topicToHex(t)}/rfc26`),
      ),
      payload: fc.uint8Array({ maxLength: 1200 }),
      version: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }),
      timestamp: fc.oneof(fc.double(), fc.integer({ min: NOW - 30_000, max: NOW + 30_000 })),
      hash: fc.constant('0x'),
    })
    fc.assert(
      fc.property(arbitrary, (received) => {
        const checked = checkV2Message(received, NOW, policy)
        if (!checked.ok) expect(DROP_REASONS).toContain(checked.reason)
      }),
    )
  })
})

describe('SeenCache', () => {
  it('forgets after its TTL and beyond its capacity, oldest first', () => {
    const cache = new SeenCache(2, 1000)
    expect(cache.add('a', 0)).toBe(true)
    expect(cache.add('a', 10)).toBe(false)
    expect(cache.add('b', 20)).toBe(true)
    expect(cache.add('c', 30)).toBe(true)
    expect(cache.has('a', 30)).toBe(false)
    expect(cache.has('b', 1019)).toBe(true)
    expect(cache.has('b', 1020)).toBe(false)
    expect(cache.add('b', 1020)).toBe(true)
    expect(cache.size).toBe(2) // c and the new b
  })
})
