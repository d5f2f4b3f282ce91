import { SchemaVersionError } from '@parley/interfaces'
import { prefixEnd } from '@parley/store-utils'
import { DB_KEY_LENGTH, decodeRecord, OWN_START, ownKey, SPACE, spaceEnd, topicIndexKey } from './keys.ts'
import type { Level } from './scan.ts'
import { plain } from './util.ts'

/** The version of this package's own keys; bump it with a step in `openLayout` when they change. */
export const LAYOUT_VERSION = 1

const VERSION_KEY = ownKey(SPACE.meta, new TextEncoder().encode('version'))
export const STATS_KEY = ownKey(SPACE.meta, new TextEncoder().encode('stats'))
const INDEX_CHUNK = 4096

/** Kept in one key and rewritten in every archive write batch, so `count()` and `size()` are O(1). */
export interface Stats {
  count: number
  bytes: number
}

export function encodeStats(stats: Stats): Uint8Array {
  const bytes = new Uint8Array(16)
  const view = new DataView(bytes.buffer)
  view.setBigUint64(0, BigInt(stats.count))
  view.setBigUint64(8, BigInt(stats.bytes))
  return bytes
}

function decodeStats(bytes: Uint8Array | undefined): Stats {
  if (bytes === undefined || bytes.length !== 16) return { count: 0, bytes: 0 }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16)
  return { count: Number(view.getBigUint64(0)), bytes: Number(view.getBigUint64(8)) }
}

/**
 * Reads the layout version and stats. A database without a version is new, or a status-go
 * mailserver's: its records get hash- and topic-index entries and are counted first (once; the version is
 * written last, so an interrupted run starts over harmlessly).
 */
export async function openLayout(db: Level): Promise<Stats> {
  const version = await db.get(VERSION_KEY)
  if (version !== undefined) {
    const found = new DataView(version.buffer, version.byteOffset, version.byteLength).getUint32(0)
    if (found > LAYOUT_VERSION) throw new SchemaVersionError(found, LAYOUT_VERSION)
    return decodeStats(await db.get(STATS_KEY))
  }
  const stats: Stats = { count: 0, bytes: 0 }
  const iterator = db.iterator({ lt: OWN_START })
  try {
    for (;;) {
      const entries = await iterator.nextv(INDEX_CHUNK)
      if (entries.length === 0) break
      const operations = []
      for (const [key, value] of entries) {
        const message = key.length === DB_KEY_LENGTH ? decodeRecord(plain(key), plain(value)) : undefined
        if (message === undefined) continue
        operations.push({ type: 'put' as const, key: ownKey(SPACE.hash, message.hash), value: key })
        operations.push({ type: 'put' as const, key: topicIndexKey(message), value: key })
        stats.count += 1
        stats.bytes += message.data.length
      }
      await db.batch(operations)
    }
  } finally {
    await iterator.close()
  }
  const versionBytes = new Uint8Array(4)
  new DataView(versionBytes.buffer).setUint32(0, LAYOUT_VERSION)
  await db.batch([
    { type: 'put', key: STATS_KEY, value: encodeStats(stats) },
    { type: 'put', key: VERSION_KEY, value: versionBytes },
  ])
  return stats
}

/** Every topic in the topic index: one seek per topic, past all of its entries. */
export async function storedTopics(db: Level): Promise<Set<string>> {
  const topics = new Set<string>()
  const decoder = new TextDecoder()
  const iterator = db.keys({ gte: ownKey(SPACE.topic), lt: spaceEnd(SPACE.topic) })
  try {
    for (;;) {
      const found = await iterator.next()
      if (found === undefined) return topics
      const key = plain(found)
      const length = new DataView(key.buffer, key.byteOffset + 3, 2).getUint16(0)
      topics.add(decoder.decode(key.subarray(5, 5 + length)))
      const next = prefixEnd(key.subarray(0, 5 + length))
      if (next === undefined) return topics
      iterator.seek(next)
    }
  } finally {
    await iterator.close()
  }
}
