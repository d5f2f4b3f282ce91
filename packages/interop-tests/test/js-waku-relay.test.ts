/**
 * 11/WAKU2-RELAY against js-waku: a `@waku/sdk` 0.0.27 relay node (`createRelayNode` from
 * '@waku/sdk/relay', `@waku/relay` 0.0.14) and a Parley relay node exchange WakuMessages both ways
 * on 127.0.0.1, over a plain WebSocket and over TCP, on the default pubsub topic and on a static
 * shard of the Status cluster, with either side dialling.
 *
 * js-waku's default libp2p is WebSockets only (with the `all` filter under NODE_ENV=test, which
 * vitest sets); the TCP cases hand it `@libp2p/tcp` instead (see `theirTcp`).
 */
import { createNode } from '@parley/core'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC, formatStaticShardTopic } from '@parley/protocol-waku2'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { createDecoder, createEncoder, type DecodedMessage } from '@waku/sdk'
import { createRelayNode } from '@waku/sdk/relay'
import { describe, expect, it } from 'vitest'
import {
  type AnyModule,
  sdkModules,
  stopAfterTest,
  text,
  theirs,
  theirTcp,
  toHex,
  utf8,
  waitFor,
} from './js-waku-support.ts'

const CONTENT_TOPIC = '/parley/1/js-waku-interop/proto'

async function ourNode(pubsubTopic: string): Promise<{ relay: WakuRelay; host: Libp2pHostService }> {
  const node = createNode({
    name: 'parley-relay',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [wakuRelay({ pubsubTopics: [pubsubTopic] })],
  })
  await node.start()
  stopAfterTest(node)
  return { relay: node.get(waku2Relay) as WakuRelay, host: node.get(libp2pHost) as Libp2pHostService }
}

async function theirNode(shard: { clusterId: number; shard: number }, transport: 'ws' | 'tcp') {
  const node = await createRelayNode({
    defaultBootstrap: false,
    networkConfig: { clusterId: shard.clusterId, shards: [shard.shard] },
    libp2p: {
      ...(transport === 'tcp' ? { transports: [await theirTcp()] } : {}),
      addresses: { listen: [transport === 'tcp' ? '/ip4/127.0.0.1/tcp/0' : '/ip4/127.0.0.1/tcp/0/ws'] },
    } as never,
  })
  await node.start()
  return stopAfterTest(node)
}

describe('js-waku relay interop', () => {
  const cases = [
    { transport: 'ws', shard: { clusterId: 0, shard: 0 }, dialler: 'js-waku' },
    { transport: 'ws', shard: { clusterId: 16, shard: 32 }, dialler: 'Parley' },
    { transport: 'tcp', shard: { clusterId: 0, shard: 0 }, dialler: 'js-waku' },
    { transport: 'tcp', shard: { clusterId: 16, shard: 32 }, dialler: 'Parley' },
  ] as const
  for (const { transport, shard, dialler } of cases) {
    const topic = formatStaticShardTopic(shard.clusterId, shard.shard)
    it(`exchanges messages both ways over ${transport} on ${topic}, ${dialler} dialling`, async () => {
      if (shard.clusterId === 0) expect(topic).toBe(DEFAULT_PUBSUB_TOPIC)
      const ours = await ourNode(topic)
      const them = await theirNode(shard, transport)
      const onTransport = (address: string) => address.includes('/ws') === (transport === 'ws')
      if (dialler === 'js-waku') {
        const address = ours.host.multiaddrs().find(onTransport)
        // js-waku's dial parses a multiaddr string itself.
        await them.dial(address as never)
      } else {
        const address = them.libp2p.getMultiaddrs().map(String).find(onTransport)
        await ours.host.dial(address ?? '')
      }
      const ourId = ours.host.peerId
      const theirId = them.libp2p.peerId.toString()
      await waitFor(
        () => ours.relay.router.getSubscribers(topic).some((peer) => peer.toString() === theirId),
        'our router to see their subscription',
      )
      await waitFor(
        () =>
          them.libp2p.services.pubsub?.getSubscribers(topic).some((peer) => peer.toString() === ourId) ??
          false,
        'their router to see our subscription',
      )
      const [connection] = them.libp2p.getConnections()
      // An inbound WebSocket shows the socket's plain TCP address, so only the dialler's side says /ws.
      if (dialler === 'js-waku') expect(onTransport(connection?.remoteAddr.toString() ?? '')).toBe(true)
      expect(connection?.direction).toBe(dialler === 'js-waku' ? 'outbound' : 'inbound')
      expect(connection?.streams.map((stream) => stream.protocol)).toContain('/vac/waku/relay/2.0.0')

      // js-waku -> Parley
      const toUs = new Promise<{ payload: Uint8Array; topic: string; pubsubTopic?: string; from?: string }>(
        (resolve) => void ours.relay.subscribe({ topics: [CONTENT_TOPIC] }, resolve),
      )
      const encoder = createEncoder({ contentTopic: CONTENT_TOPIC, pubsubTopicShardInfo: shard })
      const sent = await them.relay.send(encoder, { payload: utf8(`from js-waku over ${transport}`) })
      expect(sent.successes.map(String)).toContain(ourId)
      const atOurs = await toUs
      expect(text(atOurs.payload)).toBe(`from js-waku over ${transport}`)
      expect(atOurs).toMatchObject({ topic: CONTENT_TOPIC, pubsubTopic: topic, from: theirId })

      // Parley -> js-waku
      const toThem = new Promise<DecodedMessage>((resolve) => {
        them.relay.subscribeWithUnsubscribe([createDecoder(CONTENT_TOPIC, shard)], resolve)
      })
      const hash = await ours.relay.post({
        topic: CONTENT_TOPIC,
        payload: utf8(`from parley over ${transport}`),
      })
      const atTheirs = await toThem
      expect(text(atTheirs.payload)).toBe(`from parley over ${transport}`)
      expect(atTheirs.contentTopic).toBe(CONTENT_TOPIC)
      expect(atTheirs.pubsubTopic).toBe(topic)
      expect(Math.abs((atTheirs.timestamp?.getTime() ?? 0) - Date.now())).toBeLessThan(10_000)
      // Both sides compute the same 14/WAKU2-MESSAGE hash (the timestamp is set, so js-waku's
      // timestamp-less variant does not apply).
      const { messageHash }: AnyModule = await theirs(sdkModules, '@waku/message-hash', 'dist/index.js')
      expect(`0x${toHex(messageHash(topic, atTheirs))}`).toBe(hash)
    })
  }
})
