import type { MessageArchive } from '@parley/interfaces'
import { expect } from 'vitest'
import {
  BASE,
  keyOf,
  message,
  oldestFirst,
  pageAll,
  tiedMessages,
  topicBloom,
  unionBloom,
} from './archive-fixtures.ts'
import { agreesWithModel } from './archive-model.ts'
import { seededRandom, shuffled } from './bytes.ts'
import { type Check, caught } from './setup.ts'

/** Blooms, bad input and a model-based sweep of every filter: part of `messageArchiveChecks`. */
export const archiveFilterChecks: Record<string, Check<MessageArchive>> = {
  'bloom matches v1 topics whose bloom it covers, never other topics, and combines with filters': async (
    archive,
  ) => {
    const topics = ['cafe0001', '01020304', 'abcdef12', 'ffffffff']
    const all = [
      ...topics.flatMap((topic, index) => tiedMessages(6, 3, index * 10, { topic })),
      ...tiedMessages(4, 2, 100, { topic: 'topic-a' }),
      ...tiedMessages(4, 2, 200, { topic: '/app/1/chat/proto', pubsubTopic: '/waku/2/a' }),
    ]
    await archive.insert(shuffled(all, seededRandom(21)))
    const only = (...wanted: string[]) => oldestFirst(all.filter((item) => wanted.includes(item.topic)))
    const two = unionBloom(topicBloom('cafe0001'), topicBloom('01020304'))
    expect((await pageAll(archive, { bloom: two, limit: 4 })).keys).toEqual(only('cafe0001', '01020304'))
    expect((await pageAll(archive, { bloom: two, limit: 4, direction: 'backward' })).keys).toEqual(
      only('cafe0001', '01020304').reverse(),
    )
    const full = new Uint8Array(64).fill(0xff)
    expect((await pageAll(archive, { bloom: full })).keys).toEqual(only(...topics))
    expect((await pageAll(archive, { bloom: new Uint8Array(64) })).keys).toEqual([])
    expect((await pageAll(archive, { bloom: two, topics: ['01020304', 'abcdef12'] })).keys).toEqual(
      only('01020304'),
    )
    expect(await archive.count({ bloom: two })).toBe(12)
    expect(await archive.count({ bloom: full, from: BASE + 10n, to: BASE + 12n })).toBe(
      all.filter(
        (item) => topics.includes(item.topic) && item.timestamp >= BASE + 10n && item.timestamp <= BASE + 12n,
      ).length,
    )
  },

  "bloom follows go-ethereum's TopicToBloom, whose bits sharing a byte overwrite each other": async (
    archive,
  ) => {
    // 00011000: indexes 0, 1 and 16. Bits 0 and 1 share byte 0, so the bloom keeps only bit 1 there.
    const quirky = message(1, { topic: '00011000' })
    await archive.insert([quirky, message(2, { topic: '00000000' })])
    const bloom = new Uint8Array(64)
    bloom[0] = 0b10
    bloom[2] = 0b1
    expect((await archive.query({ bloom })).messages.map(keyOf)).toEqual([keyOf(quirky)])
  },

  'absurd ranges, limits, blooms and timestamps are typed errors, and leave the archive intact': async (
    archive,
  ) => {
    const all = tiedMessages(12, 4)
    await archive.insert(all)
    const invalid: Record<string, () => unknown> = {
      'from after to': () => archive.query({ from: BASE + 2n, to: BASE + 1n }),
      'count from after to': () => archive.count({ from: BASE + 2n, to: BASE + 1n }),
      'negative limit': () => archive.query({ limit: -1 }),
      'NaN limit': () => archive.query({ limit: Number.NaN }),
      'short bloom': () => archive.query({ bloom: new Uint8Array(63) }),
      'count with a long bloom': () => archive.count({ bloom: new Uint8Array(65) }),
      'timestamp past int64': () => archive.insert([message(100), message(101, { timestamp: 2n ** 63n })]),
      'timestamp before int64': () => archive.insert([message(102, { timestamp: -(2n ** 63n) - 1n })]),
    }
    for (const [name, run] of Object.entries(invalid)) {
      const error = (await caught(run)) as { code?: string } | undefined
      expect(error?.code, name).toBe('ERR_INVALID_PARAMETERS')
    }
    // A huge limit is capped at the adapter's page size, not an error; int64 extremes are fine bounds.
    const huge = await pageAll(archive, { limit: 1e12, from: -(2n ** 63n), to: 2n ** 63n - 1n })
    expect(huge.keys).toEqual(oldestFirst(all))
    expect(await archive.count()).toBe(12)
  },

  '200 random queries (every filter, both directions, many page sizes) agree with a model': agreesWithModel,
}
