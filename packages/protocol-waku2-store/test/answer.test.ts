/** Store v3 and v2beta4 answers from an archive, without the network: paging, filters, bad requests. */
import type { MessageArchive } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  answerHistoryQuery,
  answerStoreQuery,
  BadStoreRequest,
  type HistoryQuery,
  legacyDigest,
  PagingDirection,
  type StoreQueryRequest,
} from '../src/index.ts'
import { BASE, CHAT, filledArchive, hex, MS, OTHER_PUBSUB, PUBSUB, samples, text } from './fixtures.ts'

const request = (overrides: Partial<StoreQueryRequest> = {}): StoreQueryRequest => ({
  requestId: 'r1',
  includeData: true,
  pubsubTopic: PUBSUB,
  contentTopics: [CHAT],
  messageHashes: [],
  paginationForward: false,
  ...overrides,
})

async function allPages(archive: MessageArchive, first: StoreQueryRequest): Promise<string[][]> {
  const pages: string[][] = []
  let next: StoreQueryRequest | undefined = first
  while (next !== undefined) {
    const response = await answerStoreQuery(archive, next)
    expect(response.statusCode).toBe(200)
    pages.push(response.messages.map((entry) => text(entry.message?.payload ?? new Uint8Array())))
    const cursor = response.paginationCursor
    next = cursor === undefined ? undefined : { ...next, paginationCursor: cursor }
  }
  return pages
}

describe('store v3 answers', () => {
  it('pages forward oldest first and backward newest first, each page oldest first', async () => {
    const archive = await filledArchive(samples(5))
    expect(await allPages(archive, request({ paginationForward: true, paginationLimit: 2n }))).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
      ['m4'],
    ])
    expect(await allPages(archive, request({ paginationLimit: 2n }))).toEqual([
      ['m3', 'm4'],
      ['m1', 'm2'],
      ['m0'],
    ])
  })

  it('uses nwaku page sizes: 20 by default, 100 at most', async () => {
    const archive = await filledArchive(samples(130))
    expect((await answerStoreQuery(archive, request())).messages).toHaveLength(20)
    expect((await answerStoreQuery(archive, request({ paginationLimit: 0n }))).messages).toHaveLength(20)
    const big = await answerStoreQuery(archive, request({ paginationLimit: 1000n }))
    expect(big.messages).toHaveLength(100)
    expect(big.paginationCursor).toBeDefined()
  })

  it('answers hashes only unless include_data is set', async () => {
    const items = samples(3)
    const archive = await filledArchive(items)
    const response = await answerStoreQuery(archive, request({ includeData: false, paginationForward: true }))
    expect(response.messages.map((entry) => hex(entry.messageHash))).toEqual(
      items.slice(0, 3).map((item) => hex(item.hash)),
    )
    for (const entry of response.messages) {
      expect(entry.message).toBeUndefined()
      expect(entry.pubsubTopic).toBeUndefined()
    }
    const full = await answerStoreQuery(archive, request({ paginationForward: true }))
    expect(full.messages.map((entry) => entry.pubsubTopic)).toEqual([PUBSUB, PUBSUB, PUBSUB])
  })

  it('filters by time range, both ends inclusive (nwaku)', async () => {
    const archive = await filledArchive(samples(10))
    const response = await answerStoreQuery(
      archive,
      request({ timeStart: BASE + 3n * MS, timeEnd: BASE + 6n * MS, paginationForward: true }),
    )
    expect(response.messages.map((entry) => text(entry.message?.payload ?? new Uint8Array()))).toEqual([
      'm3',
      'm4',
      'm5',
      'm6',
    ])
  })

  it('filters by pubsub topic alone, and by content topics within it', async () => {
    const archive = await filledArchive(samples(2))
    const other = await answerStoreQuery(archive, request({ pubsubTopic: OTHER_PUBSUB, contentTopics: [] }))
    expect(other.messages.map((entry) => text(entry.message?.payload ?? new Uint8Array()))).toEqual([
      'other-pubsub',
    ])
    const all = await answerStoreQuery(archive, request({ contentTopics: [] }))
    expect(all.messages).toHaveLength(3)
  })

  it('looks messages up by hash, across topics', async () => {
    const items = samples(4)
    const archive = await filledArchive(items)
    const wanted = [items[1], items.at(-1)].map((item) => item?.hash ?? new Uint8Array())
    const response = await answerStoreQuery(
      archive,
      request({ pubsubTopic: undefined, contentTopics: [], messageHashes: [...wanted, new Uint8Array(32)] }),
    )
    expect(response.messages.map((entry) => hex(entry.messageHash)).sort()).toEqual(wanted.map(hex).sort())
  })

  it('refuses what nwaku refuses with BadStoreRequest (a 400)', async () => {
    const archive = await filledArchive(samples(3))
    const bad: Array<Partial<StoreQueryRequest>> = [
      { pubsubTopic: undefined },
      { messageHashes: [new Uint8Array(32)] },
      { pubsubTopic: undefined, contentTopics: [], messageHashes: [new Uint8Array(31)] },
      { paginationCursor: new Uint8Array(5) },
      { paginationCursor: new Uint8Array(32) },
      { timeStart: BASE + 5n, timeEnd: BASE },
      { contentTopics: Array.from({ length: 11 }, (_, i) => `/a/1/t${i}/proto`) },
    ]
    for (const overrides of bad)
      await expect(answerStoreQuery(archive, request(overrides))).rejects.toBeInstanceOf(BadStoreRequest)
  })
})

describe('store v2beta4 answers', () => {
  const query = (overrides: Partial<HistoryQuery> = {}): HistoryQuery => ({
    pubsubTopic: PUBSUB,
    contentTopics: [CHAT],
    ...overrides,
  })

  it('pages with Index cursors in both directions; an absent direction is BACKWARD', async () => {
    const archive = await filledArchive(samples(5))
    const walk = async (first: HistoryQuery) => {
      const pages: string[][] = []
      let next: HistoryQuery | undefined = first
      while (next !== undefined) {
        const response = await answerHistoryQuery(archive, next)
        pages.push(response.messages.map((message) => text(message.payload)))
        const cursor = response.pagingInfo?.cursor
        next = cursor === undefined ? undefined : { ...next, pagingInfo: { ...next.pagingInfo, cursor } }
      }
      return pages
    }
    expect(await walk(query({ pagingInfo: { pageSize: 2n, direction: PagingDirection.forward } }))).toEqual([
      ['m0', 'm1'],
      ['m2', 'm3'],
      ['m4'],
    ])
    expect(await walk(query({ pagingInfo: { pageSize: 2n } }))).toEqual([['m3', 'm4'], ['m1', 'm2'], ['m0']])
  })

  it('sends nwaku Index cursors: legacy digest, message timestamp', async () => {
    const items = samples(3)
    const archive = await filledArchive(items)
    const response = await answerHistoryQuery(
      archive,
      query({ pagingInfo: { pageSize: 1n, direction: PagingDirection.forward } }),
    )
    const first = items[0]
    if (first === undefined) throw new Error('no samples')
    expect(response.pagingInfo?.cursor).toEqual({
      digest: legacyDigest(first.message),
      senderTime: BASE,
      receiverTime: BASE,
      pubsubTopic: PUBSUB,
    })
  })

  it('also resumes from an Index whose digest is the 14/MESSAGE hash', async () => {
    const items = samples(3)
    const archive = await filledArchive(items)
    const first = items[0]
    if (first === undefined) throw new Error('no samples')
    const cursor = { digest: first.hash, senderTime: BASE, receiverTime: 0n, pubsubTopic: PUBSUB }
    const response = await answerHistoryQuery(
      archive,
      query({ pagingInfo: { cursor, direction: PagingDirection.forward } }),
    )
    expect(response.messages.map((message) => text(message.payload))).toEqual(['m1', 'm2'])
  })

  it('refuses unknown cursors and directions', async () => {
    const archive = await filledArchive(samples(3))
    const cursor = { digest: new Uint8Array(32), senderTime: BASE, receiverTime: BASE, pubsubTopic: PUBSUB }
    await expect(answerHistoryQuery(archive, query({ pagingInfo: { cursor } }))).rejects.toBeInstanceOf(
      BadStoreRequest,
    )
    await expect(answerHistoryQuery(archive, query({ pagingInfo: { direction: 7 } }))).rejects.toBeInstanceOf(
      BadStoreRequest,
    )
  })
})
