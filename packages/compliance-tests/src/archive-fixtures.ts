import type { ArchivedMessage, MessageArchive, MessageCursor, MessageQuery } from '@parley/interfaces'
import { expect } from 'vitest'
import { compareBytes, seededRandom, toHex, utf8 } from './bytes.ts'

/** A nanosecond timestamp beyond 2^53, so number conversions show up. */
export const BASE = 1_700_000_000_000_000_000n

/** A 32-byte hash from `n`; unrelated to `n`'s order, so ties on timestamp really sort by hash. */
export function hashOf(n: number): Uint8Array {
  const random = seededRandom(n * 7919 + 13)
  return Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256))
}

export interface MessageInit {
  timestamp?: bigint
  topic?: string
  pubsubTopic?: string
  data?: Uint8Array
}

export function message(n: number, init: MessageInit = {}): ArchivedMessage {
  const result: ArchivedMessage = {
    hash: hashOf(n),
    timestamp: init.timestamp ?? BASE + BigInt(n),
    topic: init.topic ?? 'topic-a',
    data: init.data ?? utf8(`message ${n}`),
  }
  if (init.pubsubTopic !== undefined) result.pubsubTopic = init.pubsubTopic
  return result
}

/** `count` messages spread over `timestamps` distinct timestamps (many ties), numbered from `first`. */
export function tiedMessages(
  count: number,
  timestamps: number,
  first = 0,
  init: MessageInit = {},
): ArchivedMessage[] {
  return Array.from({ length: count }, (_, index) =>
    message(first + index, { ...init, timestamp: (init.timestamp ?? BASE) + BigInt(index % timestamps) }),
  )
}

export function compareMessages(
  a: ArchivedMessage | MessageCursor,
  b: ArchivedMessage | MessageCursor,
): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  return compareBytes(a.hash, b.hash)
}

/** `timestamp:hash` — how checks compare messages and orders. */
export function keyOf(item: ArchivedMessage | MessageCursor): string {
  return `${item.timestamp}:${toHex(item.hash)}`
}

export function oldestFirst(messages: readonly ArchivedMessage[]): string[] {
  return [...messages].sort(compareMessages).map(keyOf)
}

/** Every field, normalised: a missing pubsub topic and an empty one are the same. */
export function fieldsOf(item: ArchivedMessage): Record<string, string> {
  return {
    hash: toHex(item.hash),
    timestamp: item.timestamp.toString(),
    topic: item.topic,
    pubsubTopic: item.pubsubTopic ?? '',
    data: toHex(item.data),
  }
}

export interface Paged {
  keys: string[]
  pageSizes: number[]
}

/**
 * Follows cursors until there is none, checking that pages respect the limit, that a cursor is the
 * last message of a non-empty page, and that no message repeats.
 */
export async function pageAll(archive: MessageArchive, query: MessageQuery): Promise<Paged> {
  const keys: string[] = []
  const pageSizes: number[] = []
  let cursor: MessageCursor | undefined
  for (let page = 0; page < 10_000; page++) {
    const result = await archive.query(cursor === undefined ? query : { ...query, cursor })
    // Adapters may cap the page below `limit`, so a short page can still carry a cursor.
    if (query.limit !== undefined) expect(result.messages.length).toBeLessThanOrEqual(query.limit)
    keys.push(...result.messages.map(keyOf))
    pageSizes.push(result.messages.length)
    if (result.cursor === undefined) break
    const last = result.messages.at(-1)
    expect(last, 'a page with a cursor is not empty').toBeDefined()
    expect(keyOf(result.cursor), 'the cursor is the last message of the page').toBe(keyOf(last!))
    cursor = result.cursor
  }
  expect(new Set(keys).size, 'no message appears twice across pages').toBe(keys.length)
  return { keys, pageSizes }
}

/**
 * The 64-byte bloom of a v1 topic given as 8 hex chars, as go-ethereum's `TopicToBloom` computes
 * it: three bit indexes (topic[i], plus 256 when bit i of topic[3] is set), each ASSIGNED to its
 * byte (`bloom[index / 8] = 1 << index % 8`), so a later index sharing a byte clears the earlier.
 */
export function topicBloom(topic: string): Uint8Array {
  const bytes = Uint8Array.from({ length: 4 }, (_, index) =>
    Number.parseInt(topic.slice(2 * index, 2 * index + 2), 16),
  )
  const bloom = new Uint8Array(64)
  for (let index = 0; index < 3; index++) {
    const bit = (bytes[index] as number) + (((bytes[3] as number) >> index) & 1) * 256
    bloom[bit >> 3] = 1 << (bit & 7)
  }
  return bloom
}

/** The bitwise OR of blooms. */
export function unionBloom(...blooms: readonly Uint8Array[]): Uint8Array {
  const union = new Uint8Array(64)
  for (const bloom of blooms) for (let index = 0; index < 64; index++) union[index]! |= bloom[index] ?? 0
  return union
}
