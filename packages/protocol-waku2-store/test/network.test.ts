/** Two Parley nodes on loopback: relay + store + archive on one, a store client on the other. */
import { createNode, type ParleyNode } from '@parley/core'
import { AbortError, libp2pHost, type MessageArchive, messageArchive, waku2Relay } from '@parley/interfaces'
import type { WakuMessage } from '@parley/protocol-waku2'
import { memoryStore } from '@parley/store-memory'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The relay is not a dependency of this package (the store only wants the `waku2Relay` capability),
// so its sources are imported by path, as protocol-waku1's tests import protocol-whisper's helpers.
import { type WakuRelay, wakuRelay } from '../../protocol-waku2-relay/src/index.ts'
import {
  decodeHistoryRpc,
  decodeStoreQueryResponse,
  LEGACY_STORE_CODEC,
  STORE_CODEC,
  type StoreQuery,
  StoreQueryError,
  type WakuStore,
  type WakuStoreInit,
  waku2Store,
  wakuStore,
} from '../src/index.ts'
import { exchange } from '../src/stream.ts'
import { CHAT, hex, MS, OTHER, PUBSUB, text, utf8 } from './fixtures.ts'

const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const nodes: ParleyNode[] = []

async function started(node: ParleyNode): Promise<ParleyNode> {
  nodes.push(node)
  await node.start()
  return node
}

function serverNode(init: WakuStoreInit = {}, name = 'store-server'): Promise<ParleyNode> {
  return started(
    createNode({
      name,
      transports: [libp2p({ listen: LISTEN })],
      protocols: [wakuRelay({ gossipsub: { heartbeatInterval: 100 } }), wakuStore(init)],
      store: memoryStore(),
    }),
  )
}

/** The host's first multiaddr; it ends in `/p2p/<peer id>`. */
const addressOf = (node: ParleyNode): string => {
  const [first] = node.get(libp2pHost).multiaddrs()
  if (first === undefined) throw new Error('the node is not listening')
  return first
}

async function collect(store: WakuStore, peer: string, query: StoreQuery, signal?: AbortSignal) {
  const pages: string[][] = []
  for await (const page of store.query(peer, query, signal === undefined ? {} : { signal }))
    pages.push(
      page.messages.map((entry) => (entry.message ? text(entry.message.payload) : hex(entry.messageHash))),
    )
  return pages
}

let server: ParleyNode
let client: ParleyNode
let address: string
let clientStore: WakuStore
const now = BigInt(Date.now()) * MS
/** m0..m6 one ms apart, ending 10 s ago, archived directly; then two messages through the relay. */
const stamps = Array.from({ length: 7 }, (_, i) => now - 10_000n * MS + BigInt(i) * MS)

beforeAll(async () => {
  server = await serverNode({ rateLimit: { requests: 1000, periodMs: 60_000 } })
  client = await started(
    createNode({
      name: 'store-client',
      transports: [libp2p({ listen: LISTEN })],
      protocols: [wakuStore({ serve: false })],
    }),
  )
  address = addressOf(server)
  clientStore = client.get(waku2Store)
  const store = server.get(waku2Store)
  for (const [i, timestamp] of stamps.entries())
    await store.archive(PUBSUB, { payload: utf8(`m${i}`), contentTopic: CHAT, timestamp })
})

afterAll(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.stop()))
})

describe('store over libp2p', () => {
  it('archives what the relay accepts, with the exact bytes and hash, but not ephemeral or stale messages', async () => {
    const relay = server.get(waku2Relay) as WakuRelay
    const archive: MessageArchive = server.get(messageArchive)
    const before = await archive.count({})
    const hash = await relay.post({ topic: OTHER, payload: utf8('relayed') })
    await relay.post({ topic: OTHER, payload: utf8('ephemeral'), ephemeral: true })
    // More than 20 s old: nwaku's archive validator refuses it, and so do we.
    await relay.post({ topic: OTHER, payload: utf8('stale'), timestamp: now - 60_000n * MS })
    await expect.poll(() => archive.count({}), { timeout: 10_000 }).toBe(before + 1)
    const [page] = await collect(clientStore, address, { pubsubTopic: PUBSUB, contentTopics: [OTHER] })
    expect(page).toEqual(['relayed'])
    const found: string[] = []
    for await (const page of clientStore.query(address, {
      messageHashes: [Buffer.from(hash.slice(2), 'hex')],
    }))
      found.push(...page.messages.map((entry) => `0x${hex(entry.messageHash)}`))
    expect(found).toEqual([hash])
  })

  it('answers a page of its own archive locally, as a peer would get it', async () => {
    const store = server.get(waku2Store)
    const query = { pubsubTopic: PUBSUB, contentTopics: [CHAT], pageSize: 3, forward: true }
    const first = await store.queryLocal(query)
    expect(first.messages.map((entry) => text(entry.message?.payload ?? new Uint8Array()))).toEqual([
      'm0',
      'm1',
      'm2',
    ])
    expect(first.messages[0]?.pubsubTopic).toBe(PUBSUB)
    const second = await store.queryLocal({ ...query, ...(first.cursor ? { cursor: first.cursor } : {}) })
    expect(second.messages.map((entry) => text(entry.message?.payload ?? new Uint8Array()))).toEqual([
      'm3',
      'm4',
      'm5',
    ])
    await expect(store.queryLocal({ contentTopics: [CHAT] })).rejects.toMatchObject({
      name: 'InvalidParametersError',
    })
    await expect(clientStore.queryLocal({})).rejects.toMatchObject({ name: 'NotStartedError' })
  })

  it('pages forward and backward, following cursors', async () => {
    const query = { pubsubTopic: PUBSUB, contentTopics: [CHAT], pageSize: 3 }
    expect(await collect(clientStore, address, { ...query, forward: true })).toEqual([
      ['m0', 'm1', 'm2'],
      ['m3', 'm4', 'm5'],
      ['m6'],
    ])
    expect(await collect(clientStore, address, query)).toEqual([
      ['m4', 'm5', 'm6'],
      ['m1', 'm2', 'm3'],
      ['m0'],
    ])
  })

  it('answers hashes only, and time ranges', async () => {
    const [page] = await collect(clientStore, address, {
      pubsubTopic: PUBSUB,
      contentTopics: [CHAT],
      includeData: false,
      timeStart: stamps[2],
      timeEnd: stamps[3],
      forward: true,
    })
    const hashesOf = await collect(clientStore, address, {
      pubsubTopic: PUBSUB,
      contentTopics: [CHAT],
      forward: true,
      includeData: false,
    })
    expect(page).toHaveLength(2)
    expect(page).toEqual(hashesOf[0]?.slice(2, 4))
    for (const hash of page ?? []) expect(hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('serves the legacy v2beta4 protocol with Index cursors', async () => {
    const pages: string[][] = []
    for await (const page of clientStore.history(address, {
      pubsubTopic: PUBSUB,
      contentTopics: [CHAT],
      forward: true,
      pageSize: 4,
    }))
      pages.push(page.messages.map((message) => text(message.payload)))
    expect(pages).toEqual([
      ['m0', 'm1', 'm2', 'm3'],
      ['m4', 'm5', 'm6'],
    ])
  })

  it('answers bad requests with 400 and keeps serving', async () => {
    const error = await collect(clientStore, address, { contentTopics: [CHAT] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreQueryError)
    expect(error).toMatchObject({ statusCode: 400 })
    const host = client.get(libp2pHost) as Libp2pHostService
    const garbage = Uint8Array.of(0x62, 0xff, 0x07)
    const response = decodeStoreQueryResponse(await exchange(host, address, STORE_CODEC, garbage))
    expect(response.statusCode).toBe(400)
    const legacy = decodeHistoryRpc(await exchange(host, address, LEGACY_STORE_CODEC, garbage))
    expect(legacy.response?.error).toBe(1)
    expect(
      await collect(clientStore, address, { pubsubTopic: PUBSUB, contentTopics: [CHAT], pageSize: 1 }),
    ).toHaveLength(7)
  })

  it('honours the abort signal', async () => {
    const aborted = AbortSignal.abort()
    await expect(collect(clientStore, address, { pubsubTopic: PUBSUB }, aborted)).rejects.toBeInstanceOf(
      AbortError,
    )
  })
})

describe('store server limits', () => {
  it('answers 429 beyond the rate limit', async () => {
    const limited = await serverNode({ rateLimit: { requests: 1, periodMs: 60_000 } }, 'limited')
    const peer = addressOf(limited)
    await collect(clientStore, peer, { pubsubTopic: PUBSUB })
    await expect(collect(clientStore, peer, { pubsubTopic: PUBSUB })).rejects.toMatchObject({
      statusCode: 429,
    })
  })

  it('answers 503 when the archive fails', async () => {
    const broken = await started(
      createNode({
        name: 'broken',
        transports: [libp2p({ listen: LISTEN })],
        protocols: [wakuStore()],
        store: {
          name: 'broken-archive',
          provides: [messageArchive],
          create: (): MessageArchive => ({
            start: () => {},
            stop: () => {},
            insert: async () => 0,
            query: async () => {
              throw new Error('disk on fire')
            },
            count: async () => 0,
            deleteOlderThan: async () => 0,
            size: async () => 0,
          }),
        },
      }),
    )
    await expect(collect(clientStore, addressOf(broken), { pubsubTopic: PUBSUB })).rejects.toMatchObject({
      statusCode: 503,
    })
  })

  it('the background cleaner applies the retention policy', async () => {
    const pruned = await serverNode({ retention: { maxMessages: 2 }, retentionIntervalMs: 50 }, 'pruned')
    const store = pruned.get(waku2Store)
    const message = (i: number): WakuMessage => ({
      payload: utf8(`r${i}`),
      contentTopic: CHAT,
      timestamp: now + BigInt(i),
    })
    for (let i = 0; i < 5; i++) await store.archive(PUBSUB, message(i))
    const archive: MessageArchive = pruned.get(messageArchive)
    await expect.poll(() => archive.count({}), { timeout: 10_000 }).toBe(2)
    expect(await collect(clientStore, addressOf(pruned), { pubsubTopic: PUBSUB, forward: true })).toEqual([
      ['r3', 'r4'],
    ])
  })
})
