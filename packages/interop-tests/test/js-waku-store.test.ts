/**
 * 13/WAKU2-STORE v3 against js-waku: a `@waku/sdk` 0.0.27 light node (`createLightNode`, whose store
 * client speaks only `/vac/waku/store-query/3.0.0`) dials our relay + store node over a WebSocket on
 * 127.0.0.1 and pages through what our node archived, in both directions and by time range; a
 * js-waku relay node (`createRelayNode`) publishes to our relay and the light node gets that message
 * back from our store. The codecs are also checked against `@waku/proto`'s generated store v3
 * messages.
 *
 * js-waku picks a store peer only when the 66/WAKU2-METADATA handshake has recorded the peer's shard
 * on the configured cluster: our node runs `wakuMetadata`, and `waitForRemotePeer` does the
 * handshake as an application's would.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost, messageArchive, waku2Relay } from '@parley/interfaces'
import { computeMessageHash, DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import { wakuMetadata } from '@parley/protocol-waku2-peer-exchange'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import {
  decodeStoreQueryRequest,
  decodeStoreQueryResponse,
  encodeStoreQueryRequest,
  encodeStoreQueryResponse,
  STORE_CODEC,
  wakuStore,
} from '@parley/protocol-waku2-store'
import { memoryStore } from '@parley/store-memory'
import { libp2p } from '@parley/transport-libp2p'
import { proto_store } from '@waku/proto'
import {
  createDecoder,
  createEncoder,
  createLightNode,
  type LightNode,
  Protocols,
  waitForRemotePeer,
} from '@waku/sdk'
import { createRelayNode } from '@waku/sdk/relay'
import { decodeRelayShard } from '@waku/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CONTENT_TOPIC = '/parley/1/js-waku-store/proto'
const SHARD = { clusterId: 0, shard: 0 }
const NS_PER_MS = 1_000_000n
const utf8 = (text: string) => new TextEncoder().encode(text)
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** Five messages m0..m4 posted through our relay, one second apart, ending a second ago. */
const sentAt = Array.from({ length: 5 }, (_, i) => Date.now() - 5000 + i * 1000)

let ours: ParleyNode
let light: LightNode
const ourHashes: string[] = []

beforeAll(async () => {
  ours = createNode({
    name: 'parley-store',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [
      wakuRelay({ pubsubTopics: [DEFAULT_PUBSUB_TOPIC] }),
      wakuStore(),
      wakuMetadata({ clusterId: SHARD.clusterId }),
    ],
    store: memoryStore(),
  })
  await ours.start()
  const relay = ours.get(waku2Relay) as WakuRelay
  for (const [i, ms] of sentAt.entries())
    ourHashes.push(
      await relay.post({ topic: CONTENT_TOPIC, payload: utf8(`m${i}`), timestamp: BigInt(ms) * NS_PER_MS }),
    )

  light = await createLightNode({
    defaultBootstrap: false,
    networkConfig: { clusterId: SHARD.clusterId, shards: [SHARD.shard] },
  })
  await light.start()
  const address = ours
    .get(libp2pHost)
    .multiaddrs()
    .find((a) => a.includes('/ws/'))
  if (address === undefined) throw new Error('our node has no WebSocket address')
  await light.dial(address as never)
  await waitForRemotePeer(light, [Protocols.Store], 15_000)
})

afterAll(async () => {
  await light?.stop()
  await ours?.stop()
})

async function theirQuery(options: Record<string, unknown>): Promise<string[][]> {
  const decoder = createDecoder(CONTENT_TOPIC, SHARD)
  const pages: string[][] = []
  for await (const page of light.store.queryGenerator([decoder], options)) {
    const messages = await Promise.all(page)
    if (messages.length > 0) pages.push(messages.map((message) => text(message?.payload)))
  }
  return pages
}

describe('js-waku store client against our store', () => {
  it('sees our store v3 protocol through identify and our shard through metadata', async () => {
    const peer = await light.libp2p.peerStore.get(light.libp2p.getPeers()[0] as never)
    expect(peer.protocols).toContain(STORE_CODEC)
    // Our metadata announces the relay's shards (no `shards` option given).
    expect(decodeRelayShard(peer.metadata.get('shardInfo') as Uint8Array)).toEqual({
      clusterId: SHARD.clusterId,
      shards: [SHARD.shard],
    })
  })

  it('pages forward through what our relay archived', async () => {
    expect(await theirQuery({ paginationLimit: 2 })).toEqual([['m0', 'm1'], ['m2', 'm3'], ['m4']])
  })

  it('pages backward, each page oldest first', async () => {
    expect(await theirQuery({ paginationLimit: 2, paginationForward: false })).toEqual([
      ['m3', 'm4'],
      ['m1', 'm2'],
      ['m0'],
    ])
  })

  it('filters by time range and gets the messages and hashes we archived', async () => {
    const decoder = createDecoder(CONTENT_TOPIC, SHARD)
    const received: Array<{ payload: string; hash: string }> = []
    await light.store.queryWithOrderedCallback(
      [decoder],
      (message) => {
        const wire = {
          payload: message.payload,
          contentTopic: message.contentTopic,
          timestamp: BigInt(message.timestamp?.getTime() ?? 0) * NS_PER_MS,
        }
        received.push({
          payload: text(message.payload),
          hash: `0x${toHex(computeMessageHash(message.pubsubTopic, wire))}`,
        })
      },
      // Bounds between messages: js-waku computes ns as the float `getTime() * 1e6`, which can round
      // a bound off the exact timestamp of a message.
      { timeStart: new Date((sentAt[1] ?? 0) - 500), timeEnd: new Date((sentAt[3] ?? 0) + 500) },
    )
    expect(received).toEqual([
      { payload: 'm1', hash: ourHashes[1] },
      { payload: 'm2', hash: ourHashes[2] },
      { payload: 'm3', hash: ourHashes[3] },
    ])
  })
})

describe('js-waku relay -> our store -> js-waku store client', () => {
  it('archives what a js-waku relay node publishes, and serves it back with the same hash', async () => {
    const publisher = await createRelayNode({
      defaultBootstrap: false,
      networkConfig: { clusterId: SHARD.clusterId, shards: [SHARD.shard] },
    })
    try {
      await publisher.start()
      const address = ours
        .get(libp2pHost)
        .multiaddrs()
        .find((a) => a.includes('/ws/'))
      await publisher.dial(address as never)
      const ourId = ours.get(libp2pHost).peerId
      const relay = ours.get(waku2Relay) as WakuRelay
      const theirId = publisher.libp2p.peerId.toString()
      // Gossipsub needs both sides to know the other relays the topic before a publish reaches us.
      const deadline = Date.now() + 15_000
      while (
        !relay.router.getSubscribers(DEFAULT_PUBSUB_TOPIC).some((peer) => peer.toString() === theirId) ||
        !publisher.relay.getMeshPeers(DEFAULT_PUBSUB_TOPIC).includes(ourId)
      ) {
        if (Date.now() > deadline) throw new Error('js-waku relay never meshed with us')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const contentTopic = '/parley/1/from-js-waku/proto'
      const encoder = createEncoder({ contentTopic, pubsubTopicShardInfo: SHARD })
      const sent = await publisher.relay.send(encoder, { payload: utf8('published by js-waku') })
      expect(sent.successes.map(String)).toContain(ourId)

      const decoder = createDecoder(contentTopic, SHARD)
      const found: Array<{ payload: string; hash: string }> = []
      const until = Date.now() + 15_000
      while (found.length === 0 && Date.now() < until) {
        await light.store.queryWithOrderedCallback([decoder], (message) => {
          found.push({ payload: text(message.payload), hash: toHex(light.store.createCursor(message)) })
        })
        if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(found).toHaveLength(1)
      expect(found[0]?.payload).toBe('published by js-waku')
      // js-waku's cursor for the message is its 14/WAKU2-MESSAGE hash: the key our archive holds it by.
      const { messages } = await ours
        .get(messageArchive)
        .query({ hashes: [Buffer.from(found[0]?.hash ?? '', 'hex')] })
      expect(messages.map((row) => row.pubsubTopic)).toEqual([DEFAULT_PUBSUB_TOPIC])
    } finally {
      await publisher.stop()
    }
  })
})

describe('store v3 codec against @waku/proto', () => {
  it('their encoder and ours agree on StoreQueryRequest', () => {
    const theirs = {
      requestId: 'req-1',
      includeData: true,
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      contentTopics: [CONTENT_TOPIC, '/b/1/c/proto'],
      timeStart: -5n,
      timeEnd: 1_700_000_000_000_000_000n,
      messageHashes: [new Uint8Array(32).fill(3)],
      paginationCursor: new Uint8Array(32).fill(7),
      paginationForward: true,
      paginationLimit: 20n,
    }
    const bytes = proto_store.StoreQueryRequest.encode(theirs)
    expect(decodeStoreQueryRequest(bytes)).toEqual(theirs)
    expect(toHex(encodeStoreQueryRequest(theirs))).toBe(toHex(bytes))
  })

  it('their decoder reads our StoreQueryResponse', () => {
    const message = {
      payload: utf8('hi'),
      contentTopic: CONTENT_TOPIC,
      timestamp: 1_700_000_000_123_456_789n,
    }
    const hash = computeMessageHash(DEFAULT_PUBSUB_TOPIC, message)
    const ours = encodeStoreQueryResponse({
      requestId: 'req-1',
      statusCode: 200,
      statusDesc: 'OK',
      messages: [{ messageHash: hash, message, pubsubTopic: DEFAULT_PUBSUB_TOPIC }, { messageHash: hash }],
      paginationCursor: hash,
    })
    const decoded = proto_store.StoreQueryResponse.decode(ours)
    expect(decoded.statusCode).toBe(200)
    expect(decoded.messages).toHaveLength(2)
    expect(toHex(decoded.messages[0]?.messageHash ?? new Uint8Array())).toBe(toHex(hash))
    expect(decoded.messages[0]?.message?.timestamp).toBe(message.timestamp)
    expect(text(decoded.messages[0]?.message?.payload)).toBe('hi')
    expect(decoded.messages[1]?.message).toBeUndefined()
    expect(decodeStoreQueryResponse(proto_store.StoreQueryResponse.encode(decoded))).toMatchObject({
      requestId: 'req-1',
      statusCode: 200,
      paginationCursor: hash,
    })
  })
})
