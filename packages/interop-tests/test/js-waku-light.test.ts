/**
 * 12/WAKU2-FILTER and 19/WAKU2-LIGHTPUSH against js-waku: a js-waku 0.0.27 light node
 * (`createLightNode` from '@waku/sdk', no bootstrap) dials a Parley service node (relay, filter,
 * lightpush, metadata) over a plain WebSocket on 127.0.0.1, waits for it with `waitForRemotePeer`
 * (identify plus the 66/WAKU2-METADATA handshake), lightpushes through it (js-waku 0.0.27 speaks
 * lightpush 2.0.0-beta1) and receives through a Parley filter subscription.
 *
 * The other way round, a Parley light client and a js-waku relay peer: js-waku 0.0.27 serves none of
 * filter, lightpush, store or peer exchange (its relay node serves relay and metadata only), so each
 * Parley client fails at protocol selection with libp2p's `UnsupportedProtocolError`. What a Parley
 * node can do with a js-waku relay peer is relay, which `js-waku-relay.test.ts` covers.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
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
import { type WakuPeerExchange, wakuMetadata, wakuPeerExchange } from '@parley/protocol-waku2-peer-exchange'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { waku2Store, wakuStore } from '@parley/protocol-waku2-store'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { describe, expect, it } from 'vitest'
import { type AnyModule, stopAfterTest, waitFor } from './js-waku-support.ts'

async function parleyNode(
  name: string,
  withServices: boolean,
): Promise<{ node: ParleyNode; host: Libp2pHostService; relay: WakuRelay }> {
  const node = createNode({
    name,
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [
      wakuRelay({ pubsubTopics: [DEFAULT_PUBSUB_TOPIC], gossipsub: { heartbeatInterval: 200 } }),
      ...(withServices ? [wakuFilter(), wakuLightpush(), wakuMetadata({ clusterId: 0 })] : []),
    ],
  })
  await node.start()
  stopAfterTest(node)
  return { node, host: node.get(libp2pHost) as Libp2pHostService, relay: node.get(waku2Relay) as WakuRelay }
}

/** Light clients only: filter, lightpush, store (`serve: false`) and peer exchange (`serve: false`). */
async function parleyLightNode(): Promise<ParleyNode> {
  const node = createNode({
    name: 'parley-light',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [
      wakuFilterClient(),
      wakuLightpushClient(),
      wakuStore({ serve: false }),
      wakuPeerExchange({ secp: (await loadCrypto()).secp256k1, serve: false }),
    ],
  })
  await node.start()
  stopAfterTest(node)
  return node
}

describe('js-waku light node through a Parley service node', () => {
  it('lightpushes through Parley and receives through a Parley filter subscription', async () => {
    const service = await parleyNode('parley-service', true)
    const peer = await parleyNode('parley-relay-peer', false)
    await peer.host.dial(service.host.multiaddrs()[0] ?? '')
    await service.relay.waitForPeers(DEFAULT_PUBSUB_TOPIC, { signal: AbortSignal.timeout(15_000) })

    const sdk: AnyModule = await import('@waku/sdk')
    const light = await sdk.createLightNode({
      defaultBootstrap: false,
      networkConfig: { clusterId: 0, shards: [0] },
    })
    stopAfterTest(light)
    await light.start()
    // js-waku's dial parses a multiaddr string itself.
    await light.dial(service.host.multiaddrs()[0])
    // Identify tells js-waku what we serve; our 66/WAKU2-METADATA answer gives it our shard.
    await sdk.waitForRemotePeer(light, [sdk.Protocols.LightPush, sdk.Protocols.Filter], 15_000)

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

  it('js-waku 0.0.27 relay and light nodes serve no light-client protocol, so a Parley light client gets UnsupportedProtocolError', async () => {
    const sdk: AnyModule = await import('@waku/sdk')
    const { createRelayNode }: AnyModule = await import('@waku/sdk/relay')
    const options = {
      defaultBootstrap: false,
      networkConfig: { clusterId: 0, shards: [0] },
      libp2p: { addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] } },
    }
    const relayNode = await createRelayNode(options)
    const lightNode = await sdk.createLightNode(options)
    for (const node of [relayNode, lightNode]) {
      stopAfterTest(node)
      await node.start()
    }
    const servedBy = (node: AnyModule): string[] => node.libp2p.getProtocols()
    // Relay and metadata; the light node only accepts filter pushes (it is a filter client).
    expect(servedBy(relayNode)).toContain('/vac/waku/relay/2.0.0')
    expect(servedBy(relayNode)).toContain('/vac/waku/metadata/1.0.0')
    expect(servedBy(lightNode)).toContain('/vac/waku/filter-push/2.0.0-beta1')
    const lightClientCodecs = ['lightpush', 'filter-subscribe', 'store', 'peer-exchange']
    for (const node of [relayNode, lightNode])
      expect(servedBy(node).filter((p) => lightClientCodecs.some((codec) => p.includes(codec)))).toEqual([])

    const ours = await parleyLightNode()
    const address = relayNode.libp2p.getMultiaddrs()[0]?.toString() ?? ''
    const contentTopic = '/parley/1/x/proto'
    const attempts: Record<string, () => Promise<unknown>> = {
      lightpush: () =>
        ours.get(waku2LightpushClient).lightpush(address, {
          contentTopic,
          payload: new Uint8Array(1),
          pubsubTopic: DEFAULT_PUBSUB_TOPIC,
        }),
      filter: () =>
        ours.get(waku2FilterClient).filterSubscribe(address, DEFAULT_PUBSUB_TOPIC, [contentTopic], () => {}),
      store: async () => {
        const query = { pubsubTopic: DEFAULT_PUBSUB_TOPIC, contentTopics: [contentTopic] }
        for await (const _ of ours.get(waku2Store).query(address, query));
      },
      peerExchange: () => ours.service<WakuPeerExchange>('protocol-waku2-peer-exchange').request(address, 5),
    }
    for (const [what, attempt] of Object.entries(attempts)) {
      const error = await attempt().then(
        () => undefined,
        (error: unknown) => error,
      )
      // libp2p's multistream-select refusal, not a protocol-level answer such as LightpushError.
      expect(error, what).not.toBeInstanceOf(LightpushError)
      expect(error, what).toMatchObject({ name: 'UnsupportedProtocolError' })
    }
  })
})
