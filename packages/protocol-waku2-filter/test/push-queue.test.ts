/**
 * The push path against a subscriber that never accepts a stream (a stalled or malicious light
 * client): pushes queue per subscriber up to the limit, the rest are dropped, each attempt times
 * out, and order is kept. Uses a fake host so the stall is exact.
 */
import { fakeComponents } from '@parley/compliance-tests'
import { TypedEventEmitter, type WakuRelayEvents } from '@parley/interfaces'
import { encodeWakuMessage } from '@parley/protocol-waku2'
import { afterEach, describe, expect, it } from 'vitest'
import { FILTER_PUSH_CODEC, WakuFilterServer } from '../src/index.ts'
import { filterServerMetrics } from '../src/metrics.ts'
import { filterServerSettings } from '../src/options.ts'
import type { WakuFilterServerComponents } from '../src/server.ts'

const PUBSUB = '/waku/2/rs/0/0'
const CONTENT = '/app/1/chat/proto'

function stalledHost(dials: string[]) {
  return {
    peerId: 'service',
    handle: async () => {},
    unhandle: async () => {},
    dial: async () => {},
    multiaddrs: () => [],
    connectedPeers: () => ['subscriber'],
    addService: () => {},
    start: () => {},
    stop: () => {},
    dialProtocol: (_peer: string, protocol: string, options: { signal: AbortSignal }) => {
      dials.push(protocol)
      return new Promise((_resolve, reject) => {
        options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true })
      })
    },
  }
}

const servers: WakuFilterServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()))
})

describe('filter pushes to a stalled subscriber', () => {
  it('queue up to the limit, drop the rest, and time out one at a time', async () => {
    const components = fakeComponents()
    const relay = new TypedEventEmitter<WakuRelayEvents>()
    const dials: string[] = []
    const server = new WakuFilterServer(
      {
        host: stalledHost(dials) as unknown as WakuFilterServerComponents['host'],
        relay,
        logger: components.logger.forComponent('test'),
        metrics: filterServerMetrics(components.metrics),
      },
      filterServerSettings({ maxQueuedPushesPerPeer: 3, pushTimeoutMs: 150 }),
    )
    servers.push(server)
    await server.start()
    server.subscriptions.add('subscriber', PUBSUB, [CONTENT])
    const relayed = (i: number) => {
      const data = encodeWakuMessage({ payload: Uint8Array.of(i), contentTopic: CONTENT })
      relay.safeDispatchEvent('message:relayed', { pubsubTopic: PUBSUB, bytes: data, hash: '0x' })
    }
    for (let i = 0; i < 10; i++) relayed(i)
    // one push is dialling, three wait, six are dropped
    expect(dials).toEqual([FILTER_PUSH_CODEC])
    expect(components.recorded.get('parley_waku2_filter_errors_total{type="push_dropped"}')).toBe(6)
    // the four queued pushes time out one after another; wait for that, not for a guess at how long it takes
    await expect
      .poll(() => components.recorded.get('parley_waku2_filter_errors_total{type="push_timeout"}'), {
        timeout: 10_000,
      })
      .toBe(4)
    expect(dials).toHaveLength(4)
    // a message for another content topic is not queued at all
    relay.safeDispatchEvent('message:relayed', {
      pubsubTopic: PUBSUB,
      bytes: encodeWakuMessage({ payload: new Uint8Array(1), contentTopic: '/app/1/other/proto' }),
      hash: '0x',
    })
    expect(dials).toHaveLength(4)
  })
})
