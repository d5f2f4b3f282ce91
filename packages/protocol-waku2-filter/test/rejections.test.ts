/** Bad input over the wire: the service answers with a status code, counts it, and keeps serving. */
import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import { afterEach, describe, expect, it } from 'vitest'
import {
  decodeFilterSubscribeResponse,
  encodeFilterSubscribeRequest,
  FILTER_SUBSCRIBE_CODEC,
  type FilterSubscribeResponse,
} from '../src/index.ts'
import {
  type LightNode,
  type ServiceNode,
  startLightNode,
  startServiceNode,
  stopAll,
  utf8,
  waitFor,
} from './fixtures.ts'

afterEach(stopAll)

const CONTENT = '/parley/1/filter-test/proto'

/** Sends `frames` raw on filter-subscribe (each length-prefixed unless `raw`) and reads the answer. */
async function exchange(
  light: LightNode,
  service: ServiceNode,
  body: Uint8Array,
  maxDataLength?: number,
): Promise<FilterSubscribeResponse> {
  const stream = await light.host.dialProtocol(service.address, FILTER_SUBSCRIBE_CODEC)
  const framed = lpStream(stream, maxDataLength === undefined ? {} : { maxDataLength })
  await framed.write(body)
  const response = decodeFilterSubscribeResponse((await framed.read()).subarray())
  await stream.close()
  return response
}

describe('filter service rejections', () => {
  it('answers malformed and oversize requests with 400 and keeps serving', async () => {
    const service = await startServiceNode({ maxRequestSize: 1024 })
    const light = await startLightNode()
    const garbage = await exchange(light, service, Uint8Array.of(0x08, 0x01, 0xff))
    expect(garbage).toMatchObject({ requestId: 'N/A', statusCode: 400 })
    expect(garbage.statusDesc).toMatch(/^BAD_REQUEST: decode_rpc_failure/)
    const oversize = await exchange(light, service, new Uint8Array(2048))
    expect(oversize).toEqual({
      requestId: 'N/A',
      statusCode: 400,
      statusDesc: 'BAD_REQUEST: request exceeds the size limit',
    })
    const noId = await exchange(
      light,
      service,
      encodeFilterSubscribeRequest({ requestId: '', filterSubscribeType: 0, contentTopics: [] }),
    )
    expect(noId.statusDesc).toBe('BAD_REQUEST: request_id is required')
    const badTopic = await exchange(
      light,
      service,
      encodeFilterSubscribeRequest({
        requestId: 'x',
        filterSubscribeType: 1,
        pubsubTopic: DEFAULT_PUBSUB_TOPIC,
        contentTopics: ['nope'],
      }),
    )
    expect(badTopic).toEqual({
      requestId: 'x',
      statusCode: 400,
      statusDesc: 'BAD_REQUEST: invalid content topic: nope',
    })
    const { recorded } = service.components
    expect(recorded.get('parley_waku2_filter_errors_total{type="decode_rpc_failure"}')).toBe(1)
    expect(recorded.get('parley_waku2_filter_errors_total{type="oversize_request"}')).toBe(1)
    expect(recorded.get('parley_waku2_filter_responses_total{status_code="400"}')).toBe(4)
    // still serving
    await light.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {})
    expect(service.filter.subscriptions.peerCount).toBe(1)
  })

  it('drops a subscription that is not refreshed within the timeout', async () => {
    const service = await startServiceNode({ subscriptionTimeoutMs: 300, maintenanceIntervalMs: 100 })
    const light = await startLightNode({ keepAliveMs: 0 })
    const subscription = await light.client.filterSubscribe(
      service.address,
      DEFAULT_PUBSUB_TOPIC,
      [CONTENT],
      () => {},
    )
    await waitFor(() => service.filter.subscriptions.peerCount === 0, 'the subscription to lapse', 10_000)
    await expect(subscription.ping()).rejects.toMatchObject({ statusCode: 404 })
  })

  it('keeps a subscription alive with keep-alive pings, and resubscribes when the service lost it', async () => {
    // The timeout is ten keep-alive intervals, so only a stall of ~0.9 s between two answered
    // pings could lapse it; a loaded machine's slow round trip cannot.
    const service = await startServiceNode({
      subscriptionTimeoutMs: 1000,
      maintenanceIntervalMs: 100,
      rateLimit: { requests: 0, periodMs: 1 },
    })
    const light = await startLightNode({ keepAliveMs: 100 })
    await light.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {})
    const { recorded } = light.components
    // 15 pings at 100 ms intervals span more than the timeout; none may have found the subscription gone
    await waitFor(
      () =>
        (recorded.get('parley_waku2_filter_client_requests_total{type="ping",status_code="200"}') ?? 0) >= 15,
      'keep-alive pings beyond the timeout',
      10_000,
    )
    expect(
      recorded.get('parley_waku2_filter_client_requests_total{type="ping",status_code="404"}'),
    ).toBeUndefined()
    expect(service.filter.subscriptions.subscribers(DEFAULT_PUBSUB_TOPIC, CONTENT)).toEqual([
      light.host.peerId,
    ])
    service.filter.subscriptions.removePeer(light.host.peerId)
    await waitFor(() => service.filter.subscriptions.peerCount === 1, 'the client to resubscribe')
  })

  it('counts pushes to a subscriber that went away, and keeps serving others', async () => {
    const service = await startServiceNode()
    const gone = await startLightNode()
    const staying = await startLightNode()
    await gone.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], () => {})
    const received: string[] = []
    await staying.client.filterSubscribe(service.address, DEFAULT_PUBSUB_TOPIC, [CONTENT], (m) =>
      received.push(m.hash),
    )
    await gone.host.stop()
    await service.relay.post({ topic: CONTENT, payload: utf8('anyone there?') })
    await waitFor(() => received.length === 1, 'the remaining subscriber to get it')
    const { recorded } = service.components
    await waitFor(
      () => recorded.get('parley_waku2_filter_errors_total{type="push_failure"}') === 1,
      'the failed push',
    )
    await staying.client.ping(service.host.peerId)
  })
})
