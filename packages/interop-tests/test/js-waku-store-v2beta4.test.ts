/**
 * 13/WAKU2-STORE v2beta4 against js-waku: a `@waku/sdk` 0.0.26 light node (whose store client
 * speaks only `/vac/waku/store/2.0.0-beta4`, with `@waku/core` 0.0.30) dials our relay + store +
 * metadata node over a WebSocket on 127.0.0.1 and pages through what our relay archived: forward,
 * backward, by time range, resuming from a cursor it built itself, and with a cursor we cannot place.
 * A js-waku 0.0.26 relay node (`createRelayNode` from '@waku/sdk/relay') publishes to our relay, and
 * the light node gets that message back from our store with the same 14/WAKU2-MESSAGE hash.
 *
 * js-waku 0.0.26 lives in `packages/interop-js-waku-0.0.26` (its peers are one release behind
 * 0.0.27's) and is loaded from there by path. Its sdk asks for `libp2p ^1.1.2` and
 * `@libp2p/identify ^1.0.11`, which resolve to libp2p 1.9.4 and identify 1.0.21; its relay's
 * gossipsub 13.2.0 declares that it needs the `@libp2p/identify` capability, which only the
 * identify of the libp2p 1.9 line (2.x) announces. (Every 0.0.26 node has gossipsub: the sdk adds
 * it to light nodes too.) So both nodes get identify 2.1.5, held by the package, through
 * `libp2p.services` (the sdk spreads those over its defaults); the first test pins the failure
 * without it.
 */
import { fileURLToPath } from 'node:url'
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, messageArchive, waku2Relay } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import { wakuMetadata } from '@parley/protocol-waku2-peer-exchange'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { LEGACY_STORE_CODEC, STORE_CODEC, wakuStore } from '@parley/protocol-waku2-store'
import { memoryStore } from '@parley/store-memory'
import { libp2p } from '@parley/transport-libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnyModule, text, theirs, toHex, utf8, waitFor } from './js-waku-support.ts'

const holder = fileURLToPath(new URL('../../interop-js-waku-0.0.26/node_modules/', import.meta.url))
const sdk: AnyModule = await theirs(holder, '@waku/sdk', 'dist/index.js')
const { createRelayNode }: AnyModule = await theirs(holder, '@waku/sdk', 'dist/relay-node/index.js')
const { identify }: AnyModule = await theirs(holder, '@libp2p/identify')
const { messageHash }: AnyModule = await theirs(holder, '@waku/message-hash', 'dist/index.js')

const CONTENT_TOPIC = '/parley/1/js-waku-store-v2beta4/proto'
const OTHER_TOPIC = '/parley/1/js-waku-store-v2beta4-other/proto'
const SHARD_INFO = { clusterId: 0, shards: [0] }
const NS_PER_MS = 1_000_000n
/** m0..m4 one second apart, ending a second ago (whole milliseconds: js-waku's cursors are ms). */
const sentAt = Array.from({ length: 5 }, (_, i) => Date.now() - 5000 + i * 1000)

let ours: ParleyNode
let light: AnyModule
const ourHashes: string[] = []

function nodeOptions(withIdentify2: boolean) {
  return {
    defaultBootstrap: false,
    shardInfo: SHARD_INFO,
    ...(withIdentify2 ? { libp2p: { services: { identify: identify({ agentVersion: 'js-waku' }) } } } : {}),
  }
}
const lightNode = (withIdentify2: boolean): Promise<AnyModule> =>
  sdk.createLightNode(nodeOptions(withIdentify2))

function ourAddress(): string {
  const address = ours
    .get(libp2pHost)
    .multiaddrs()
    .find((a) => a.includes('/ws/'))
  if (address === undefined) throw new Error('our node has no WebSocket address')
  return address
}

beforeAll(async () => {
  ours = createNode({
    name: 'parley-store-v2beta4',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [
      wakuRelay({ pubsubTopics: [DEFAULT_PUBSUB_TOPIC] }),
      wakuStore(),
      wakuMetadata({ clusterId: SHARD_INFO.clusterId }),
    ],
    store: memoryStore(),
  })
  await ours.start()
  const relay = ours.get(waku2Relay) as WakuRelay
  for (const [i, ms] of sentAt.entries()) {
    const timestamp = BigInt(ms) * NS_PER_MS
    ourHashes.push(await relay.post({ topic: CONTENT_TOPIC, payload: utf8(`m${i}`), timestamp }))
    // Interleaved on another content topic, which no query below asks for.
    await relay.post({ topic: OTHER_TOPIC, payload: utf8(`other${i}`), timestamp })
  }

  light = await lightNode(true)
  await light.start()
  await light.dial(ourAddress())
  // Identify, then the 66/WAKU2-METADATA handshake that tells js-waku our cluster.
  await sdk.waitForRemotePeer(light, [sdk.Protocols.Store], 15_000)
})

afterAll(async () => {
  await light?.stop()
  await ours?.stop()
})

/** Each page js-waku yields, as payload texts. */
async function theirPages(options: Record<string, unknown>): Promise<string[][]> {
  const decoder = sdk.createDecoder(CONTENT_TOPIC, DEFAULT_PUBSUB_TOPIC)
  const pages: string[][] = []
  for await (const page of light.store.queryGenerator([decoder], options)) {
    const messages: AnyModule[] = await Promise.all(page)
    pages.push(messages.map((message) => text(message?.payload)))
  }
  return pages
}

describe('js-waku 0.0.26 store v2beta4 client against our store', () => {
  it('does not start with its own identify 1.0.21 beside gossipsub 13.2.0', async () => {
    const failing = lightNode(false).then((node: AnyModule) => node.start())
    await expect(failing).rejects.toThrow(
      'Service "@chainsafe/libp2p-gossipsub" required capability "@libp2p/identify" but it was not provided',
    )
  })

  it('finds our v2beta4 codec through identify and picks us as its store peer', async () => {
    expect(light.store.protocol.multicodec).toBe(LEGACY_STORE_CODEC)
    const [peer] = await light.store.protocol.getPeers({ numPeers: 1, maxBootstrapPeers: 1 })
    expect(peer?.id.toString()).toBe(ours.get(libp2pHost).peerId)
    expect(peer?.protocols).toEqual(expect.arrayContaining([LEGACY_STORE_CODEC, STORE_CODEC]))
  })

  it('pages forward through what our relay archived, and decodes each message as we sent it', async () => {
    expect(await theirPages({ pageSize: 2, pageDirection: sdk.PageDirection.FORWARD })).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
      ['m4'],
    ])
    const decoder = sdk.createDecoder(CONTENT_TOPIC, DEFAULT_PUBSUB_TOPIC)
    const received: AnyModule[] = []
    await light.store.queryWithOrderedCallback(
      [decoder],
      (message: AnyModule) => void received.push(message),
      {
        pageDirection: sdk.PageDirection.FORWARD,
      },
    )
    expect(received.map((message) => message.timestamp.getTime())).toEqual(sentAt)
    expect(received.map((message) => `0x${toHex(messageHash(DEFAULT_PUBSUB_TOPIC, message))}`)).toEqual(
      ourHashes,
    )
    expect(received[0]).toMatchObject({
      contentTopic: CONTENT_TOPIC,
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      version: 0,
    })
  })

  it('pages backward (its default), each page oldest first', async () => {
    expect(await theirPages({ pageSize: 2 })).toEqual([['m3', 'm4'], ['m1', 'm2'], ['m0']])
  })

  it('filters by time range, both ends inclusive as nwaku', async () => {
    const timeFilter = { startTime: new Date(sentAt[1] ?? 0), endTime: new Date(sentAt[3] ?? 0) }
    expect(await theirPages({ pageDirection: sdk.PageDirection.FORWARD, timeFilter })).toEqual([
      ['m1', 'm2', 'm3'],
    ])
  })

  it('resumes after a message from the Index cursor js-waku builds for it', async () => {
    const decoder = sdk.createDecoder(CONTENT_TOPIC, DEFAULT_PUBSUB_TOPIC)
    let second: AnyModule
    await light.store.queryWithOrderedCallback(
      [decoder],
      (message: AnyModule) => {
        if (text(message.payload) === 'm1') second = message
      },
      { pageDirection: sdk.PageDirection.FORWARD },
    )
    // digest = SHA-256(content topic ‖ payload), senderTime = receiverTime = the timestamp in ns.
    const cursor = light.store.createCursor(second)
    expect(await theirPages({ pageSize: 2, pageDirection: sdk.PageDirection.FORWARD, cursor })).toEqual([
      ['m2', 'm3'],
      ['m4'],
    ])
    expect(await theirPages({ pageSize: 5, cursor })).toEqual([['m0']])
  })

  it('gets INVALID_CURSOR (1) for a cursor naming no stored message', async () => {
    const cursor = {
      digest: new Uint8Array(32).fill(9),
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      senderTime: BigInt(sentAt[2] ?? 0) * NS_PER_MS,
      receiverTime: BigInt(sentAt[2] ?? 0) * NS_PER_MS,
    }
    // js-waku throws a bare string naming the response's HistoryError.
    await expect(theirPages({ cursor })).rejects.toBe('History response contains an Error: INVALID_CURSOR')
  })
})

describe('js-waku 0.0.26 relay -> our store -> js-waku 0.0.26 store client', () => {
  it('archives what a js-waku 0.0.26 relay node publishes and serves it back over v2beta4', async () => {
    const publisher = await createRelayNode(nodeOptions(true))
    try {
      await publisher.start()
      await publisher.dial(ourAddress())
      const ourId = ours.get(libp2pHost).peerId
      const relay = ours.get(waku2Relay) as WakuRelay
      const theirId = publisher.libp2p.peerId.toString()
      await waitFor(
        () => relay.router.getSubscribers(DEFAULT_PUBSUB_TOPIC).some((peer) => peer.toString() === theirId),
        'our router to see the js-waku relay node',
      )
      await waitFor(
        () =>
          publisher.relay.getMeshPeers(DEFAULT_PUBSUB_TOPIC).some((peer: unknown) => String(peer) === ourId),
        'the js-waku relay node to mesh with us',
      )
      const contentTopic = '/parley/1/from-js-waku-0026/proto'
      const relayed = new Promise<string>((resolve) => {
        void relay.subscribe({ topics: [contentTopic] }, (message) => resolve(message.hash))
      })
      const encoder = sdk.createEncoder({ contentTopic, pubsubTopicShardInfo: { clusterId: 0, shard: 0 } })
      const sent = await publisher.relay.send(encoder, { payload: utf8('published by js-waku 0.0.26') })
      expect(sent.successes.map(String)).toContain(ourId)
      const ourHash = await relayed
      // The store archives from the same relay event, asynchronously.
      const archive = ours.get(messageArchive)
      const hashBytes = Buffer.from(ourHash.slice(2), 'hex')
      await waitFor(
        async () => (await archive.query({ hashes: [hashBytes] })).messages.length === 1,
        'our store to archive it',
      )

      const decoder = sdk.createDecoder(contentTopic, DEFAULT_PUBSUB_TOPIC)
      const found: AnyModule[] = []
      await light.store.queryWithOrderedCallback([decoder], (message: AnyModule) => void found.push(message))
      expect(found.map((message) => text(message.payload))).toEqual(['published by js-waku 0.0.26'])
      expect(`0x${toHex(messageHash(DEFAULT_PUBSUB_TOPIC, found[0]))}`).toBe(ourHash)
    } finally {
      await publisher.stop()
    }
  })
})
