import type { MessageArchive } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  BASE,
  fieldsOf,
  hashOf,
  keyOf,
  message,
  oldestFirst,
  pageAll,
  tiedMessages,
} from './archive-fixtures.ts'
import { bytes, seededRandom, shuffled, toHex } from './bytes.ts'
import { archiveFilterChecks } from './message-archive-filters.ts'
import { type Check, caught, runCheck, type TestSetup } from './setup.ts'

/**
 * The `MessageArchive` contract. Each check gets a started, empty archive. Order is (timestamp,
 * hash) with hashes compared as unsigned bytes; `forward` pages list oldest first, `backward`
 * pages start at the newest and list newest first; a cursor is the last message of its page.
 */
export const messageArchiveChecks: Record<string, Check<MessageArchive>> = {
  'insert counts new messages and ignores hashes already stored': async (archive) => {
    const [m1, m2, m3, m4, m5] = [1, 2, 3, 4, 5].map((n) => message(n))
    expect(await archive.insert([m1!, m2!, m3!])).toBe(3)
    expect(await archive.insert([m2!, m4!])).toBe(1)
    expect(await archive.insert([m5!, m5!])).toBe(1)
    expect(await archive.insert([{ ...m1!, timestamp: BASE + 999n, topic: 'other' }])).toBe(0)
    expect(await archive.insert([])).toBe(0)
    expect(await archive.count()).toBe(5)
  },

  'messages round-trip, with 64-bit nanosecond timestamps and binary data': async (archive) => {
    const stored = [
      message(1, { timestamp: 2n ** 63n - 1n, pubsubTopic: '/waku/2/rs/16/32', topic: '/app/1/chat/proto' }),
      message(2, { timestamp: BASE, topic: 'cafe0001', data: bytes(0x00, 0xff, 0x80, 0x00) }),
      message(3, { timestamp: 0n, data: new Uint8Array(0) }),
    ]
    await archive.insert(stored)
    const { messages } = await archive.query({})
    expect(messages.map(fieldsOf)).toEqual([stored[2]!, stored[1]!, stored[0]!].map(fieldsOf))
  },

  'query lists every message oldest first, ties on timestamp ordered by hash': async (archive) => {
    const all = tiedMessages(30, 4)
    const random = seededRandom(3)
    const mixed = shuffled(all, random)
    await archive.insert(mixed.slice(0, 10))
    await archive.insert(mixed.slice(10))
    expect((await pageAll(archive, {})).keys).toEqual(oldestFirst(all))
    expect((await pageAll(archive, { direction: 'forward' })).keys).toEqual(oldestFirst(all))
  },

  'a time range is inclusive at both ends': async (archive) => {
    const all = tiedMessages(10, 5)
    await archive.insert(all)
    const within = (from: bigint, to: bigint) =>
      oldestFirst(all.filter((item) => item.timestamp >= from && item.timestamp <= to))
    expect((await pageAll(archive, { from: BASE + 1n, to: BASE + 2n })).keys).toEqual(
      within(BASE + 1n, BASE + 2n),
    )
    expect((await pageAll(archive, { from: BASE + 3n })).keys).toEqual(within(BASE + 3n, BASE + 4n))
    expect((await pageAll(archive, { to: BASE })).keys).toEqual(within(BASE, BASE))
    expect((await pageAll(archive, { from: BASE + 2n, to: BASE + 2n })).keys).toHaveLength(2)
    expect((await pageAll(archive, { from: BASE + 5n })).keys).toEqual([])
  },

  'topics match any listed topic; an empty or absent list matches all': async (archive) => {
    const all = [
      ...tiedMessages(4, 2, 0, { topic: 'a' }),
      ...tiedMessages(4, 2, 10, { topic: 'b' }),
      ...tiedMessages(4, 2, 20, { topic: 'c' }),
    ]
    await archive.insert(all)
    const only = (...topics: string[]) => oldestFirst(all.filter((item) => topics.includes(item.topic)))
    expect((await pageAll(archive, { topics: ['a'] })).keys).toEqual(only('a'))
    expect((await pageAll(archive, { topics: ['a', 'c'] })).keys).toEqual(only('a', 'c'))
    expect((await pageAll(archive, { topics: ['zzz'] })).keys).toEqual([])
    expect((await pageAll(archive, { topics: [] })).keys).toEqual(oldestFirst(all))
  },

  'pubsubTopic selects messages of that pubsub topic only': async (archive) => {
    const all = [
      ...tiedMessages(3, 3, 0, { pubsubTopic: '/waku/2/a' }),
      ...tiedMessages(3, 3, 10, { pubsubTopic: '/waku/2/b' }),
      ...tiedMessages(3, 3, 20),
    ]
    await archive.insert(all)
    const inTopic = oldestFirst(all.filter((item) => item.pubsubTopic === '/waku/2/a'))
    expect((await pageAll(archive, { pubsubTopic: '/waku/2/a' })).keys).toEqual(inTopic)
    expect((await pageAll(archive, { pubsubTopic: '/waku/2/a', topics: ['topic-a'] })).keys).toEqual(inTopic)
    expect((await pageAll(archive, { pubsubTopic: '/waku/2/none' })).keys).toEqual([])
  },

  'hashes select exactly those messages, and combine with other filters': async (archive) => {
    const all = [
      message(1, { topic: 'x' }),
      message(2, { topic: 'y' }),
      message(3, { topic: 'x' }),
      message(4),
    ]
    await archive.insert(all)
    const wanted = [hashOf(3), hashOf(1), hashOf(99)]
    expect((await pageAll(archive, { hashes: wanted })).keys).toEqual(oldestFirst([all[0]!, all[2]!]))
    expect((await pageAll(archive, { hashes: wanted, topics: ['x'], to: BASE + 1n })).keys).toEqual([
      keyOf(all[0]!),
    ])
  },

  'forward paging with limit and cursor visits every message exactly once': async (archive) => {
    const all = tiedMessages(47, 5)
    await archive.insert(shuffled(all, seededRandom(11)))
    const { keys, pageSizes } = await pageAll(archive, { limit: 6 })
    expect(keys).toEqual(oldestFirst(all))
    expect(pageSizes.length, 'paged, not one answer').toBeGreaterThanOrEqual(8)
  },

  'backward paging visits every message exactly once, newest first': async (archive) => {
    const all = tiedMessages(47, 5)
    await archive.insert(shuffled(all, seededRandom(12)))
    const { keys, pageSizes } = await pageAll(archive, { limit: 6, direction: 'backward' })
    expect(keys).toEqual(oldestFirst(all).reverse())
    expect(pageSizes.length, 'paged, not one answer').toBeGreaterThanOrEqual(8)
    const newest = await archive.query({ limit: 1, direction: 'backward' })
    expect(newest.messages.map(keyOf)).toEqual(oldestFirst(all).slice(-1))
  },

  'paging combines with time range and topics in both directions': async (archive) => {
    const all = [...tiedMessages(30, 6, 0, { topic: 'a' }), ...tiedMessages(30, 6, 100, { topic: 'b' })]
    await archive.insert(all)
    const query = { topics: ['a'], from: BASE + 1n, to: BASE + 4n, limit: 4 }
    const expected = oldestFirst(
      all.filter((item) => item.topic === 'a' && item.timestamp >= BASE + 1n && item.timestamp <= BASE + 4n),
    )
    expect((await pageAll(archive, query)).keys).toEqual(expected)
    expect((await pageAll(archive, { ...query, direction: 'backward' })).keys).toEqual(
      [...expected].reverse(),
    )
  },

  'a cursor is a position: paging goes on after its message is deleted': async (archive) => {
    const all = tiedMessages(20, 10)
    await archive.insert(all)
    const first = await archive.query({ limit: 5 })
    expect(first.cursor).toBeDefined()
    const cursor = first.cursor!
    await archive.deleteOlderThan(cursor.timestamp + 1n)
    const rest = await pageAll(archive, { limit: 5, cursor })
    expect(rest.keys).toEqual(oldestFirst(all.filter((item) => item.timestamp > cursor.timestamp)))
    const before = await pageAll(archive, { limit: 5, cursor, direction: 'backward' })
    expect(before.keys).toEqual([])
  },

  'a full page carries a cursor when more follow; an empty archive pages to nothing': async (archive) => {
    const empty = await archive.query({ limit: 5 })
    expect(empty.messages).toEqual([])
    expect(empty.cursor).toBeUndefined()
    const all = tiedMessages(10, 3)
    await archive.insert(all)
    const page = await archive.query({ limit: 3 })
    expect(page.messages.map(keyOf)).toEqual(oldestFirst(all).slice(0, 3))
    expect(page.cursor).toBeDefined()
    const tail = await archive.query({ limit: 3, cursor: page.cursor })
    expect(tail.messages.map(keyOf)).toEqual(oldestFirst(all).slice(3, 6))
  },

  'count agrees with query, with and without filters': async (archive) => {
    const all = [
      ...tiedMessages(8, 4, 0, { topic: 'a', pubsubTopic: '/p/1' }),
      ...tiedMessages(6, 3, 20, { topic: 'b' }),
    ]
    await archive.insert(all)
    expect(await archive.count()).toBe(14)
    expect(await archive.count({})).toBe(14)
    expect(await archive.count({ topics: ['a'] })).toBe(8)
    expect(await archive.count({ pubsubTopic: '/p/1' })).toBe(8)
    expect(await archive.count({ from: BASE + 1n, to: BASE + 2n })).toBe(
      all.filter((item) => item.timestamp >= BASE + 1n && item.timestamp <= BASE + 2n).length,
    )
    expect(await archive.count({ hashes: [hashOf(0), hashOf(20), hashOf(500)] })).toBe(2)
  },

  'deleteOlderThan deletes strictly older messages and reports how many': async (archive) => {
    await archive.insert(tiedMessages(10, 5))
    expect(await archive.deleteOlderThan(BASE + 2n)).toBe(4)
    expect(await archive.count()).toBe(6)
    expect(await archive.count({ to: BASE + 2n })).toBe(2)
    expect(await archive.deleteOlderThan(BASE)).toBe(0)
    expect(await archive.deleteOlderThan(BASE + 100n)).toBe(6)
    expect(await archive.count()).toBe(0)
  },

  'size grows as messages are stored': async (archive) => {
    const before = await archive.size()
    await archive.insert(
      Array.from({ length: 20 }, (_, n) => message(n, { data: new Uint8Array(1000).fill(n) })),
    )
    const after = await archive.size()
    expect(after).toBeGreaterThan(before)
    await archive.deleteOlderThan(BASE + 1000n)
    expect(await archive.size()).toBeLessThanOrEqual(after)
  },

  ...archiveFilterChecks,

  'concurrent inserters lose nothing and double-count nothing': async (archive) => {
    // 40 batches of 5 overlapping messages (batch i holds messages 3i … 3i+4): 122 distinct.
    const batches = Array.from({ length: 40 }, (_, batch) =>
      Array.from({ length: 5 }, (_, offset) => {
        const n = batch * 3 + offset
        return message(n, { timestamp: BASE + BigInt(n % 3) })
      }),
    )
    const added = await Promise.all(batches.map((batch) => archive.insert(batch)))
    const distinct = new Set(batches.flat().map((item) => toHex(item.hash))).size
    expect(added.reduce((sum, value) => sum + value, 0)).toBe(distinct)
    expect(await archive.count()).toBe(distinct)
    expect((await pageAll(archive, { limit: 50 })).keys).toEqual(
      oldestFirst([...new Map(batches.flat().map((m) => [toHex(m.hash), m])).values()]),
    )
  },

  'an aborted signal rejects every operation with AbortError; an aborted insert stores nothing': async (
    archive,
  ) => {
    await archive.insert([message(1)])
    const signal = AbortSignal.abort()
    const operations: Record<string, () => unknown> = {
      insert: () => archive.insert([message(2), message(3)], { signal }),
      query: () => archive.query({}, { signal }),
      count: () => archive.count({}, { signal }),
      deleteOlderThan: () => archive.deleteOlderThan(BASE + 100n, { signal }),
      size: () => archive.size({ signal }),
    }
    for (const [operation, run] of Object.entries(operations)) {
      const error = await caught(run)
      expect((error as Error | undefined)?.name, `${operation} with an aborted signal`).toBe('AbortError')
    }
    expect((await archive.query({})).messages.map(keyOf)).toEqual([keyOf(message(1))])
  },
}

/**
 * Runs the message archive checks. `setup` returns a fresh, empty archive; the suite starts it
 * before each check and stops it (then calls `teardown`) after.
 */
export function messageArchiveSuite<T extends MessageArchive>(name: string, setup: TestSetup<T>): void {
  describe(`${name}: message archive compliance`, () => {
    for (const [title, check] of Object.entries(messageArchiveChecks))
      it(title, runCheck<T>(setup, check, true))
  })
}
