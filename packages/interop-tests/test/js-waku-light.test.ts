/**
 * 12/WAKU2-FILTER and 19/WAKU2-LIGHTPUSH against js-waku: a js-waku 0.0.27 light node
 * (`createLightNode` from '@waku/sdk', no bootstrap) dials a Parley service node (relay, filter,
 * lightpush) over a plain WebSocket on 127.0.0.1, lightpushes through it (js-waku 0.0.27 speaks
 * lightpush 2.0.0-beta1) and receives through a Parley filter subscription.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import {
  type FilterReceivedMessage,
  waku2Filter,
  waku2FilterClient,
  wakuFilter,
  wakuFilterClient,
} from '@parley/protocol-waku2-filter'
import {
  LightpushError,
  waku2Lightpush,
  waku2LightpushClient,
  wakuLightpush,
  wakuLightpushClient,
} from '@parley/protocol-waku2-lightpush'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'

// biome-ignore lint/suspicious/noExplicitAny: @waku/sdk is loaded at run time without our types
type AnyModule = any

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function parleyNode(
  name: string,
  withServices: boolean,
): Promise<{ node: ParleyNode; host: Libp2pHostService; relay: WakuRelay }> {
  const node = createNode({
    name,
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [
      wakuRelay({ pubsubTopics: [DEFAULT_PUBSUB_TOPIC], gossipsub: { heartbeatInterval: 200 } }),
      ...(withServices ? [wakuFilter(), wakuLightpush()] : []),
    ],
  })
  await node.start()
  cleanups.push(() => node.stop())
  return { node, host: node.get(libp2pHost) as Libp2pHostService, relay: node.get(waku2Relay) as WakuRelay }
}

async function parleyLightNode(): Promise<ParleyNode> {
  const node = createNode({
    name: 'parley-light',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [wakuFilterClient(), wakuLightpushClient()],
  })
  await node.start()
  cleanups.push(() => node.stop())
  return node
}

async function waitFor(condition: () => boolean, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('js-waku light node through a Parley service node', () => {
  it('lightpushes through Parley and receives through a Parley filter subscription', async () => {
    const service = await parleyNode('parley-service', true)
    const peer = await parleyNode('parley-relay-peer', false)
    await peer.host.dial(service.host.multiaddrs()[0] ?? '')
    await service.relay.waitForPeers(DEFAULT_PUBSUB_TOPIC, { signal: AbortSignal.timeout(5000) })

    const sdk: AnyModule = await import('@waku/sdk')
    const light = await sdk.createLightNode({
      defaultBootstrap: false,
      networkConfig: { clusterId: 0, shards: [0] },
    })
    cleanups.push(() => light.stop())
    await light.start()
    // js-waku's dial parses a multiaddr string itself.
    await light.dial(service.host.multiaddrs()[0])
    // Not `waitForRemotePeer`: it also wants a 66/WAKU2-METADATA handshake, which Parley does not
    // speak yet, and waits for later identify events instead. Identify alone tells js-waku which
    // protocols we serve.
    const serving = async () =>
      (await light.lightPush.protocol.connectedPeers()).length > 0 &&
      (await light.filter.protocol.connectedPeers()).length > 0
    const deadline = Date.now() + 5000
    while (!(await serving())) {
      if (Date.now() > deadline) throw new Error('js-waku never saw our filter and lightpush')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }

    const contentTopic = '/parley/1/js-waku-light/proto'
    const shard = { clusterId: 0, shard: 0 }
    const received: Array<{ payload: Uint8Array; contentTopic: string }> = []
    const decoder = sdk.createDecoder(contentTopic, shard)
    const { subscription, error, results } = await light.filter.subscribe(
      [decoder],
      (message: { payload: Uint8Array; contentTopic: string }) => {
        received.push(message)
      },
    )
    expect(error).toBeNull()
    expect(results.failures).toEqual([])
    const filter = service.node.get(waku2Filter)
    expect(filter.subscriptions.subscribers(DEFAULT_PUBSUB_TOPIC, contentTopic)).toEqual([
      light.libp2p.peerId.toString(),
    ])

    const atPeer = new Promise<{ payload: Uint8Array }>((resolve) => {
      void peer.relay.subscribe({ topics: [contentTopic] }, resolve)
    })
    const encoder = sdk.createEncoder({ contentTopic, pubsubTopicShardInfo: shard })
    const sent = await light.lightPush.send(encoder, { payload: new TextEncoder().encode('from js-waku') })
    expect(sent.failures).toEqual([])
    expect(sent.successes.map(String)).toEqual([service.host.peerId])
    expect(new TextDecoder().decode((await atPeer).payload)).toBe('from js-waku')

    // A Parley light client subscribed at the same service gets it too.
    const parleyLight = await parleyLightNode()
    const atParleyLight: FilterReceivedMessage[] = []
    await parleyLight
      .get(waku2FilterClient)
      .filterSubscribe(service.host.multiaddrs()[0] ?? '', DEFAULT_PUBSUB_TOPIC, [contentTopic], (m) =>
        atParleyLight.push(m),
      )

    // The lightpushed message came back through the filter; so does one relayed from elsewhere.
    await peer.relay.post({ topic: contentTopic, payload: new TextEncoder().encode('from parley') })
    await waitFor(() => received.length === 2, 'two filter pushes at js-waku')
    expect(received.map((m) => new TextDecoder().decode(m.payload)).sort()).toEqual([
      'from js-waku',
      'from parley',
    ])
    await waitFor(() => atParleyLight.length === 1, 'the Parley light client')
    expect(new TextDecoder().decode(atParleyLight[0]?.payload)).toBe('from parley')

    // js-waku's ping and unsubscribe (which closes without reading our answer) reach the service.
    expect((await subscription.ping()).failures).toEqual([])
    await subscription.unsubscribe([contentTopic])
    const parleyLightId = parleyLight.get(libp2pHost).peerId
    await waitFor(
      () => filter.subscriptions.subscribers(DEFAULT_PUBSUB_TOPIC, contentTopic).join() === parleyLightId,
      'js-waku to unsubscribe',
    )
    const lightpush = service.node.get(waku2Lightpush)
    expect(lightpush.protocols).toContain('/vac/waku/lightpush/2.0.0-beta1')
  })

  it('js-waku 0.0.27 serves neither filter-subscribe nor lightpush, so a Parley light client cannot use it', async () => {
    const sdk: AnyModule = await import('@waku/sdk')
    const light = await sdk.createLightNode({
      defaultBootstrap: false,
      networkConfig: { clusterId: 0, shards: [0] },
      libp2p: { addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] } },
    })
    cleanups.push(() => light.stop())
    await light.start()
    const served: string[] = light.libp2p.getProtocols()
    // It accepts pushes (it is a filter client) and nothing a light client could use.
    expect(served).toContain('/vac/waku/filter-push/2.0.0-beta1')
    expect(served.filter((p) => p.includes('lightpush') || p.includes('filter-subscribe'))).toEqual([])

    const ours = await parleyLightNode()
    const address = light.libp2p.getMultiaddrs()[0]?.toString() ?? ''
    const pushed = await ours
      .get(waku2LightpushClient)
      .lightpush(address, {
        contentTopic: '/parley/1/x/proto',
        payload: new Uint8Array(1),
        pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      })
      .catch((error: unknown) => error)
    expect(pushed).not.toBeInstanceOf(LightpushError)
    expect(pushed).toMatchObject({ name: 'UnsupportedProtocolError' })
    const subscribed = await ours
      .get(waku2FilterClient)
      .filterSubscribe(address, DEFAULT_PUBSUB_TOPIC, ['/parley/1/x/proto'], () => {})
      .catch((error: unknown) => error)
    expect(subscribed).toMatchObject({ name: 'UnsupportedProtocolError' })
  })
})
