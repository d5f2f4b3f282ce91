/**
 * 11/WAKU2-RELAY against js-waku: a js-waku relay node and a Parley node exchange WakuMessages
 * both ways over a plain WebSocket on 127.0.0.1, on the default pubsub topic and on a static shard.
 *
 * The js-waku side is composed exactly as `@waku/sdk` 0.0.27's `createRelayNode` composes it
 * (`defaultLibp2p`: libp2p 1.x, WebSockets with the `all` filter it uses under NODE_ENV=test,
 * mplex, noise, identify, ping, `wakuMetadata`, and `@waku/relay`'s `wakuGossipSub` + `wakuRelay`),
 * from the sdk's own dependency tree. `createRelayNode` itself cannot be imported in this install:
 * pnpm resolved the sdk's `@waku/core` to 0.0.30 (its peer range) instead of 0.0.31 (its dependency),
 * which lacks `getHealthManager`, and the optional peer `@libp2p/bootstrap` it imports statically is
 * not installed. `@waku/relay` 0.0.14 wants gossipsub ^13 but gets the hoisted 14.1.2.
 */
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC, formatStaticShardTopic } from '@parley/protocol-waku2'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'

/** The parts of js-waku's API these tests use. */
interface TheirMessage {
  payload: Uint8Array
  contentTopic: string
  pubsubTopic: string
  timestamp: Date | undefined
}
interface TheirEncoder {
  pubsubTopic: string
}
interface TheirRelay {
  send(encoder: TheirEncoder, message: { payload: Uint8Array }): Promise<{ successes: unknown[] }>
  subscribe(decoder: unknown, callback: (message: TheirMessage) => void): () => void
}
interface TheirPubsub {
  multicodecs: string[]
  getSubscribers(topic: string): Array<{ toString(): string }>
}
interface TheirLibp2p {
  peerId: { toString(): string }
  services: { pubsub: TheirPubsub }
  dial(address: unknown): Promise<unknown>
  getConnections(): Array<{ remoteAddr: { toString(): string }; streams: Array<{ protocol?: string }> }>
  stop(): Promise<void>
}
interface TheirNode {
  libp2p: TheirLibp2p
  relay: TheirRelay
  encoder(contentTopic: string, shard: { clusterId: number; shard: number }): TheirEncoder
  decoder(contentTopic: string, shard: { clusterId: number; shard: number }): unknown
  hash(pubsubTopic: string, message: TheirMessage): Uint8Array
}

// biome-ignore lint/suspicious/noExplicitAny: modules loaded by path carry no types
type AnyModule = any

/**
 * The `node_modules` directory pnpm gave a package: where that package resolves its own
 * dependencies (the package's real path is `<that dir>/<name>`).
 */
function modulesOf(packageDir: string, name: string): string {
  return resolve(realpathSync(packageDir), name.startsWith('@') ? '../..' : '..')
}
const ourModules = fileURLToPath(new URL('../node_modules/', import.meta.url))
const sdkModules = modulesOf(`${ourModules}@waku/sdk`, '@waku/sdk')
const relayModules = modulesOf(`${ourModules}@waku/relay`, '@waku/relay')
const libp2pModules = modulesOf(`${sdkModules}/libp2p`, 'libp2p')

/** Imports `name` as the package owning `modules` resolves it. */
function theirs(modules: string, name: string, entry = 'dist/src/index.js'): Promise<AnyModule> {
  return import(pathToFileURL(`${modules}/${name}/${entry}`).href)
}

async function theirNode(shard: { clusterId: number; shard: number }): Promise<TheirNode> {
  const pubsubTopics = [`/waku/2/rs/${shard.clusterId}/${shard.shard}`]
  const [{ createLibp2p }, { noise }, { mplex }, { webSockets }, filters, { identify }, { ping }] =
    await Promise.all([
      theirs(sdkModules, 'libp2p'),
      theirs(sdkModules, '@chainsafe/libp2p-noise'),
      theirs(sdkModules, '@libp2p/mplex'),
      theirs(sdkModules, '@libp2p/websockets'),
      theirs(sdkModules, '@libp2p/websockets', 'dist/src/filters.js'),
      theirs(sdkModules, '@libp2p/identify'),
      theirs(sdkModules, '@libp2p/ping'),
    ])
  const relayModule: AnyModule = await theirs(ourModules, '@waku/relay', 'dist/index.js')
  const core: AnyModule = await theirs(relayModules, '@waku/core', 'dist/index.js')
  const { messageHash }: AnyModule = await theirs(sdkModules, '@waku/message-hash', 'dist/index.js')
  const node: TheirLibp2p = await createLibp2p({
    connectionManager: { minConnections: 1 },
    transports: [webSockets({ filter: filters.all })],
    streamMuxers: [mplex()],
    connectionEncryption: [noise()],
    services: {
      identify: identify({ agentVersion: 'js-waku-interop' }),
      ping: ping(),
      // @waku/core 0.0.30's wakuMetadata takes shard info (the sdk 0.0.27 passes pubsub topics, for 0.0.31).
      metadata: core.wakuMetadata({ clusterId: shard.clusterId, shards: [shard.shard] }),
      pubsub: relayModule.wakuGossipSub({}),
    },
  })
  // `wakuRelay` subscribes to its topics at construction when gossipsub is already running.
  const relay: TheirRelay = relayModule.wakuRelay(pubsubTopics)(node)
  return {
    libp2p: node,
    relay,
    encoder: (contentTopic, shard) => core.createEncoder({ contentTopic, pubsubTopicShardInfo: shard }),
    decoder: (contentTopic, shard) => core.createDecoder(contentTopic, shard),
    hash: (pubsubTopic, message) => messageHash(pubsubTopic, message),
  }
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function ourNode(
  pubsubTopic: string,
): Promise<{ node: ParleyNode; relay: WakuRelay; host: Libp2pHostService }> {
  const node = createNode({
    name: 'parley-relay',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [wakuRelay({ pubsubTopics: [pubsubTopic] })],
  })
  await node.start()
  cleanups.push(() => node.stop())
  return { node, relay: node.get(waku2Relay) as WakuRelay, host: node.get(libp2pHost) as Libp2pHostService }
}

async function waitFor(condition: () => boolean, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
const utf8 = (text: string) => new TextEncoder().encode(text)
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('js-waku relay interop', () => {
  const cases = [
    { name: 'the default pubsub topic', shard: { clusterId: 0, shard: 0 } },
    { name: 'a static shard of Status cluster 16', shard: { clusterId: 16, shard: 32 } },
  ]
  for (const { name, shard } of cases) {
    it(`exchanges messages both ways on ${name}`, async () => {
      const pubsubTopic = formatStaticShardTopic(shard.clusterId, shard.shard)
      if (shard.clusterId === 0) expect(pubsubTopic).toBe(DEFAULT_PUBSUB_TOPIC)
      const contentTopic = '/parley/1/js-waku-interop/proto'
      const ours = await ourNode(pubsubTopic)
      const them = await theirNode(shard)
      cleanups.push(() => them.libp2p.stop())
      expect(them.libp2p.services.pubsub.multicodecs).toEqual(['/vac/waku/relay/2.0.0'])

      // js-waku dials us, as a browser or light app would dial a service node.
      const address = ours.host.multiaddrs().find((a) => a.includes('/ws/'))
      const { multiaddr } = await theirs(libp2pModules, '@multiformats/multiaddr')
      await them.libp2p.dial(multiaddr(address))
      const ourId = ours.host.peerId
      const theirId = them.libp2p.peerId.toString()
      await waitFor(
        () => ours.relay.router.getSubscribers(pubsubTopic).some((peer) => peer.toString() === theirId),
        'our router to see their subscription',
      )
      await waitFor(
        () =>
          them.libp2p.services.pubsub.getSubscribers(pubsubTopic).some((peer) => peer.toString() === ourId),
        'their router to see our subscription',
      )
      const [connection] = them.libp2p.getConnections()
      expect(connection?.remoteAddr.toString()).toContain('/ws/')
      expect(connection?.streams.map((stream) => stream.protocol)).toContain('/vac/waku/relay/2.0.0')

      // js-waku -> Parley
      const toUs = new Promise<{
        payload: Uint8Array
        topic: string
        pubsubTopic?: string
        from?: string
        hash: string
      }>((resolve) => {
        void ours.relay.subscribe({ topics: [contentTopic] }, resolve)
      })
      const sent = await them.relay.send(them.encoder(contentTopic, shard), { payload: utf8('from js-waku') })
      expect(sent.successes.map(String)).toContain(ourId)
      const atOurs = await toUs
      expect(text(atOurs.payload)).toBe('from js-waku')
      expect(atOurs).toMatchObject({ topic: contentTopic, pubsubTopic, from: theirId })

      // Parley -> js-waku
      const toThem = new Promise<TheirMessage>((resolve) => {
        them.relay.subscribe(them.decoder(contentTopic, shard), resolve)
      })
      const hash = await ours.relay.post({ topic: contentTopic, payload: utf8('from parley') })
      const atTheirs = await toThem
      expect(text(atTheirs.payload)).toBe('from parley')
      expect(atTheirs.contentTopic).toBe(contentTopic)
      expect(atTheirs.pubsubTopic).toBe(pubsubTopic)
      expect(Math.abs((atTheirs.timestamp?.getTime() ?? 0) - Date.now())).toBeLessThan(10_000)
      // Both sides compute the same 14/WAKU2-MESSAGE hash (the timestamp is set, so js-waku's
      // timestamp-less variant does not apply).
      expect(`0x${toHex(them.hash(pubsubTopic, atTheirs))}`).toBe(hash)
    })
  }
})
