/** Options, retention, rate limit and the relay feed, each on its own. */
import { fakeComponents } from '@parley/compliance-tests'
import {
  InvalidConfigError,
  libp2pHost,
  messageArchive,
  TypedEventEmitter,
  type WakuRelayEvents,
} from '@parley/interfaces'
import { encodeWakuMessage } from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { applyRetention, storeSettings, wakuStore } from '../src/index.ts'
import { RequestLimiter } from '../src/rate-limit.ts'
import { followRelay, type RelayedMessage } from '../src/relay-feed.ts'
import { BASE, CHAT, filledArchive, MS, PUBSUB, samples, utf8 } from './fixtures.ts'

describe('options', () => {
  it('refuses malformed options with InvalidConfigError', () => {
    const bad = [
      { retention: { maxAgeSeconds: -1 } },
      { retention: { maxMessages: 1.5 } },
      { retentionIntervalMs: 0 },
      { requestTimeoutMs: Number.NaN },
      { maxTimestampDrift: -5 },
      { rateLimit: { requests: -1, periodMs: 1000 } },
      { rateLimit: { requests: 1, periodMs: 0 } },
    ]
    for (const init of bad)
      expect(() => storeSettings(init), JSON.stringify(init)).toThrow(InvalidConfigError)
  })

  it('a serving store needs a message archive', () => {
    const host = { dial: async () => {}, handle: async () => {}, unhandle: async () => {}, node: {} }
    const components = fakeComponents({ services: [[libp2pHost, host as never]] })
    expect(() => wakuStore().create(components)).toThrow(InvalidConfigError)
    expect(wakuStore({ serve: false }).create(components)).toBeDefined()
  })

  it('a start that cannot register its protocols leaves the store stopped', async () => {
    const refused = new Error('protocol refused')
    const host = {
      dial: async () => {},
      handle: async () => {
        throw refused
      },
      unhandle: async () => {},
      node: {},
    }
    const store = wakuStore().create(
      fakeComponents({
        services: [
          [libp2pHost, host as never],
          [messageArchive, await filledArchive([])],
        ],
      }),
    )
    await expect(store.start()).rejects.toBe(refused)
    expect(store.isStarted()).toBe(false)
  })
})

describe('retention', () => {
  it('deletes by age, then the oldest beyond the count', async () => {
    const archive = await filledArchive(samples(10)) // m0..m9 at BASE + i ms, and two more
    const nowMs = Number((BASE + 5n * MS) / MS)
    // 3 ms before "now" is BASE + 2 ms: m0, m1 and the other-topic message at 1 ms go.
    expect(await applyRetention(archive, { maxAgeSeconds: 0.003 }, nowMs)).toBe(3)
    expect(await archive.count({})).toBe(9)
    // The 5 oldest of the rest (m2 and the other-pubsub message at 2 ms, m3, m4, m5) go.
    expect(await applyRetention(archive, { maxMessages: 4 }, nowMs)).toBe(5)
    const { messages } = await archive.query({ direction: 'forward' })
    expect(messages.map((row) => row.timestamp - BASE)).toEqual([6n, 7n, 8n, 9n].map((i) => i * MS))
    expect(await applyRetention(archive, { maxMessages: 4 }, nowMs)).toBe(0)
  })
})

describe('rate limit', () => {
  it('lets `requests` through per period', () => {
    const limiter = new RequestLimiter({ requests: 2, periodMs: 1000 })
    expect([limiter.tryTake(0), limiter.tryTake(10), limiter.tryTake(20)]).toEqual([true, true, false])
    expect(limiter.tryTake(1000)).toBe(true)
    expect(new RequestLimiter(undefined).tryTake()).toBe(true)
  })
})

describe('relay feed', () => {
  const message = { payload: utf8('x'), contentTopic: CHAT, timestamp: BASE + 123_456n }

  it('takes the exact wire bytes from the relay message:relayed event', () => {
    const relay = new TypedEventEmitter<WakuRelayEvents>()
    const seen: RelayedMessage[] = []
    const errors: unknown[] = []
    const stop = followRelay(
      relay,
      (relayed) => seen.push(relayed),
      (error) => errors.push(error),
    )
    const bytes = encodeWakuMessage(message)
    relay.safeDispatchEvent('message:relayed', { pubsubTopic: PUBSUB, bytes, hash: '0x' })
    relay.safeDispatchEvent('message:relayed', {
      pubsubTopic: PUBSUB,
      bytes: Uint8Array.of(0xff),
      hash: '0x',
    })
    stop()
    relay.safeDispatchEvent('message:relayed', { pubsubTopic: PUBSUB, bytes, hash: '0x' })
    expect(seen).toEqual([{ pubsubTopic: PUBSUB, message, data: bytes }])
    expect(errors).toHaveLength(1)
  })
})
