import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import { afterEach, describe, expect, it } from 'vitest'
import {
  FILTER_SUBSCRIBE_CODEC,
  type FilterReceivedMessage,
  FilterRequestError,
  FilterStatus,
} from '../src/index.ts'
import { startLightNode, startServiceNode, stopAll, text, utf8, waitFor } from './fixtures.ts'

afterEach(stopAll)

const CONTENT = '/parley/1/filter-test/proto'

describe('filter service and light client on loopback', () => {
  it('pushes relayed messages matching the subscription, and stops after unsubscribe', async () => {
    const service = await startServiceNode()
    const light = await startLightNode()
    const received: FilterReceivedMessage[] = []
    const subscription = await light.client.filterSubscribe(
      service.address,
      DEFAULT_PUBSUB_TOPIC,
      [CONTENT],
      (m) => received.push(m),
    )
    expect(service.filter.subscriptions.subscribers(DEFAULT_PUBSUB_TOPIC, CONTENT)).toEqual([
      light.host.peerId,
    ])

    const hash = await service.relay.post({ topic: CONTENT, payload: utf8('one') })
    await service.relay.post({ topic: '/parley/1/other/proto', payload: utf8('not for you') })
    await waitFor(() => received.length === 1, 'the push')
    expect(text(received[0]?.payload ?? new Uint8Array())).toBe('one')
    expect(received[0]).toMatchObject({
      topic: CONTENT,
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      hash,
      from: service.host.peerId,
    })
    // the WakuMessage as pushed, nanosecond timestamp included
    expect(received[0]?.message.contentTopic).toBe(CONTENT)
    expect(received[0]?.message.timestamp).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1_000_000n)

    await subscription.ping()
    await subscription.unsubscribe()
    expect(service.filter.subscriptions.peerCount).toBe(0)
    await service.relay.post({ topic: CONTENT, payload: utf8('two') })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(received).toHaveLength(1)
    await expect(subscription.ping()).rejects.toMatchObject({
      name: 'FilterRequestError',
      statusCode: FilterStatus.NOT_FOUND,
    })
    expect(light.components.recorded.get('parley_waku2_filter_client_pushes_total{result="delivered"}')).toBe(
      1,
    )
    expect(service.components.recorded.get('parley_waku2_filter_pushes_total')).toBe(1)
  })

  it('unsubscribe-all ends every subscription at the service', async () => {
    const service = await startServiceNode()
    const light = await startLightNode()
    await light.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {})
    const second = await light.client.filterSubscribe(
      service.host.peerId,
      DEFAULT_PUBSUB_TOPIC,
      ['/parley/1/b/proto'],
      () => {},
    )
    expect(service.filter.subscriptions.subscribers(DEFAULT_PUBSUB_TOPIC, '/parley/1/b/proto')).toHaveLength(
      1,
    )
    await second.unsubscribeAll()
    expect(service.filter.subscriptions.peerCount).toBe(0)
    const error = await light.client.unsubscribeAll(service.host.peerId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FilterRequestError)
    expect(error).toMatchObject({ statusCode: 404, statusDesc: 'NOT_FOUND: peer has no subscriptions' })
  })

  it('answers limits with nwaku status codes: 400 for bad topics, 503 over the peer limit, 429 over the rate', async () => {
    const service = await startServiceNode({ maxPeers: 1, rateLimit: { requests: 3, periodMs: 60_000 } })
    const first = await startLightNode()
    const second = await startLightNode()
    await expect(first.client.ping(service.address)).rejects.toMatchObject({ statusCode: 404 })
    await first.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {})
    await expect(
      second.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {}),
    ).rejects.toMatchObject({
      statusCode: 503,
      statusDesc: 'SERVICE_UNAVAILABLE: node has reached maximum number of subscriptions',
    })
    await first.client.ping(service.host.peerId)
    await expect(first.client.ping(service.host.peerId)).rejects.toMatchObject({ statusCode: 429 })
    expect(service.components.recorded.get('parley_waku2_filter_errors_total{type="rate_limited"}')).toBe(1)
    expect(service.components.recorded.get('parley_waku2_filter_responses_total{status_code="429"}')).toBe(1)
  })
})

describe('filter client aborts', () => {
  it('rejects with AbortError for an aborted signal and for a service that never answers', async () => {
    const light = await startLightNode()
    const mute = await startLightNode()
    await mute.host.handle(FILTER_SUBSCRIBE_CODEC, () => new Promise(() => {}))
    const address = mute.host.multiaddrs()[0] ?? ''
    const subscribe = (signal: AbortSignal) =>
      light.client.filterSubscribe(address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {}, { signal })
    await expect(subscribe(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' })
    await expect(subscribe(AbortSignal.timeout(300))).rejects.toMatchObject({ name: 'AbortError' })
    await expect(light.client.ping(address, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
      name: 'AbortError',
    })
  })
})
