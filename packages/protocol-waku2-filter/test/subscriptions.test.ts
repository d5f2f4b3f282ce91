import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FilterStatus, FilterSubscribeType, FilterSubscriptions, handleFilterRequest } from '../src/index.ts'

const PUBSUB = '/waku/2/rs/0/0'
const topics = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `/app/1/${prefix}${i}/proto`)

function table(limits: Partial<{ maxPeers: number; maxCriteriaPerPeer: number; timeoutMs: number }> = {}) {
  let now = 0
  const subscriptions = new FilterSubscriptions(
    { maxPeers: 100, maxCriteriaPerPeer: 1000, timeoutMs: 300_000, ...limits },
    () => now,
  )
  return { subscriptions, advance: (ms: number) => (now += ms) }
}

describe('FilterSubscriptions', () => {
  it('limits peers and criteria per peer, all or nothing', () => {
    const { subscriptions } = table({ maxPeers: 2, maxCriteriaPerPeer: 3 })
    expect(subscriptions.add('a', PUBSUB, topics(2))).toEqual({ ok: true })
    expect(subscriptions.add('a', PUBSUB, topics(2, 'u'))).toEqual({ ok: false, reason: 'too-many-criteria' })
    expect(subscriptions.subscribers(PUBSUB, '/app/1/u0/proto')).toEqual([])
    // re-subscribing to what it has is free
    expect(subscriptions.add('a', PUBSUB, [...topics(2), ...topics(1, 'u')])).toEqual({ ok: true })
    expect(subscriptions.add('b', PUBSUB, topics(1))).toEqual({ ok: true })
    expect(subscriptions.add('c', PUBSUB, topics(1))).toEqual({ ok: false, reason: 'too-many-peers' })
    expect(subscriptions.subscribers(PUBSUB, '/app/1/t0/proto').sort()).toEqual(['a', 'b'])
  })

  it('lapse after the timeout unless refreshed, and prune forgets them', () => {
    const { subscriptions, advance } = table({ timeoutMs: 1000 })
    subscriptions.add('a', PUBSUB, topics(1))
    subscriptions.add('b', PUBSUB, topics(1))
    advance(800)
    subscriptions.refresh('a')
    advance(800)
    expect(subscriptions.subscribers(PUBSUB, '/app/1/t0/proto')).toEqual(['a'])
    expect(subscriptions.prune()).toEqual(['b'])
    expect(subscriptions.peerCount).toBe(1)
  })

  it('never exceed its limits nor keep an empty peer, whatever the operations', () => {
    const op = fc.record({
      kind: fc.constantFrom('add', 'remove', 'removePeer', 'advance'),
      peer: fc.constantFrom('a', 'b', 'c', 'd'),
      topics: fc.uniqueArray(fc.constantFrom(...topics(6)), { minLength: 1, maxLength: 4 }),
      ms: fc.integer({ min: 0, max: 600 }),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { subscriptions, advance } = table({ maxPeers: 3, maxCriteriaPerPeer: 5, timeoutMs: 1000 })
        for (const { kind, peer, topics: contentTopics, ms } of ops) {
          if (kind === 'add') subscriptions.add(peer, PUBSUB, contentTopics)
          else if (kind === 'remove') subscriptions.remove(peer, PUBSUB, contentTopics)
          else if (kind === 'removePeer') subscriptions.removePeer(peer)
          else advance(ms)
          expect(subscriptions.peerCount).toBeLessThanOrEqual(3)
          const perPeer = new Map<string, number>()
          for (const topic of topics(6))
            for (const p of subscriptions.subscribers(PUBSUB, topic))
              perPeer.set(p, (perPeer.get(p) ?? 0) + 1)
          for (const count of perPeer.values()) expect(count).toBeLessThanOrEqual(5)
        }
      }),
    )
  })
})

describe('handleFilterRequest', () => {
  const request = (
    filterSubscribeType: number,
    extra: { pubsubTopic?: string; contentTopics?: string[] } = {},
  ) => ({
    requestId: 'r',
    filterSubscribeType,
    contentTopics: [],
    ...extra,
  })

  it('answers with nwaku status codes and descriptions', () => {
    const { subscriptions } = table()
    const handle = (r: ReturnType<typeof request>) => handleFilterRequest(subscriptions, 'p', r, 100)
    expect(handle(request(FilterSubscribeType.SUBSCRIBER_PING))).toEqual({
      statusCode: 404,
      statusDesc: 'NOT_FOUND: peer has no subscriptions',
    })
    expect(handle(request(FilterSubscribeType.SUBSCRIBE, { contentTopics: topics(1) }))).toEqual({
      statusCode: 400,
      statusDesc: 'BAD_REQUEST: pubsubTopic and contentTopics must be specified',
    })
    expect(
      handle(request(FilterSubscribeType.SUBSCRIBE, { pubsubTopic: PUBSUB, contentTopics: topics(101) })),
    ).toEqual({
      statusCode: 400,
      statusDesc: 'BAD_REQUEST: exceeds maximum content topics: 100',
    })
    expect(
      handle(request(FilterSubscribeType.SUBSCRIBE, { pubsubTopic: PUBSUB, contentTopics: ['not-a-topic'] }))
        .statusDesc,
    ).toBe('BAD_REQUEST: invalid content topic: not-a-topic')
    expect(
      handle(
        request(FilterSubscribeType.SUBSCRIBE, { pubsubTopic: '/other/topic', contentTopics: topics(1) }),
      ).statusCode,
    ).toBe(400)
    expect(handle(request(7)).statusDesc).toBe('BAD_REQUEST: unknown filter subscribe type 7')
    expect(
      handle(request(FilterSubscribeType.SUBSCRIBE, { pubsubTopic: PUBSUB, contentTopics: topics(2) })),
    ).toEqual({ statusCode: 200 })
    expect(
      handle(request(FilterSubscribeType.UNSUBSCRIBE, { pubsubTopic: PUBSUB, contentTopics: topics(3) }))
        .statusCode,
    ).toBe(FilterStatus.NOT_FOUND)
    expect(
      handle(request(FilterSubscribeType.UNSUBSCRIBE, { pubsubTopic: PUBSUB, contentTopics: topics(1) })),
    ).toEqual({ statusCode: 200 })
    expect(handle(request(FilterSubscribeType.SUBSCRIBER_PING))).toEqual({ statusCode: 200 })
    expect(handle(request(FilterSubscribeType.UNSUBSCRIBE_ALL))).toEqual({ statusCode: 200 })
    expect(subscriptions.peerCount).toBe(0)
  })
})
