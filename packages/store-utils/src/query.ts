import {
  type ArchivedMessage,
  InvalidParametersError,
  type MessageCursor,
  type MessagePage,
  type MessageQuery,
} from '@parley/interfaces'
import { BLOOM_BYTES, topicInBloom } from './bloom.ts'
import { compareBytes } from './keys.ts'

/** What `count` takes: a query without paging. */
export type MessageFilter = Omit<MessageQuery, 'limit' | 'cursor' | 'direction'>

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n

/** Timestamps are signed 64-bit nanoseconds in every store. */
export function assertInt64(value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
    throw new InvalidParametersError(`${name} must be a bigint in the signed 64-bit range, got ${value}`)
  }
}

/** Rejects what no store can answer sensibly: an inverted range, a bad limit, a malformed bloom. */
export function validateQuery(query: Partial<MessageQuery>): void {
  const { from, to, limit, bloom, cursor } = query
  if (from !== undefined && typeof from !== 'bigint')
    throw new InvalidParametersError('from must be a bigint')
  if (to !== undefined && typeof to !== 'bigint') throw new InvalidParametersError('to must be a bigint')
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidParametersError(`from (${from}) is after to (${to})`)
  }
  if (limit !== undefined && !(typeof limit === 'number' && limit >= 0)) {
    throw new InvalidParametersError(`limit must be a non-negative number, got ${limit}`)
  }
  if (bloom !== undefined && bloom.length !== BLOOM_BYTES) {
    throw new InvalidParametersError(`a bloom is ${BLOOM_BYTES} bytes, got ${bloom.length}`)
  }
  if (cursor !== undefined) assertInt64(cursor.timestamp, 'cursor.timestamp')
}

/**
 * The page size for `limit`: 0 or absent means the default (`maxPageSize`), as the Waku store
 * protocol treats it; larger values are capped.
 */
export function pageSize(limit: number | undefined, maxPageSize: number): number {
  return Math.min(limit ? Math.floor(limit) : maxPageSize, maxPageSize)
}

/**
 * The page for up to `limit + 1` matches in query order: stores read one match past the page, and
 * only when it is there does the page carry a cursor (its last message) to resume from.
 */
export function pageOf(matches: readonly ArchivedMessage[], limit: number): MessagePage {
  const messages = matches.slice(0, limit)
  const page: MessagePage = { messages }
  const last = messages.at(-1)
  if (matches.length > limit && last !== undefined) {
    page.cursor = { timestamp: last.timestamp, hash: last.hash.slice() }
  }
  return page
}

/** (timestamp, hash) order, hashes in unsigned byte order: the order of every archive. */
export function compareMessages(a: MessageCursor, b: MessageCursor): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  return compareBytes(a.hash, b.hash)
}

/** Whether a message passes the filter's topic, pubsub topic and bloom tests (not its time range). */
export function topicMatcher(filter: MessageFilter): (message: ArchivedMessage) => boolean {
  const topics = filter.topics?.length ? new Set(filter.topics) : undefined
  const { pubsubTopic, bloom } = filter
  return (message) =>
    (topics === undefined || topics.has(message.topic)) &&
    (pubsubTopic === undefined || (message.pubsubTopic ?? '') === pubsubTopic) &&
    (bloom === undefined || topicInBloom(message.topic, bloom))
}

/** The query's topics without repeats, in first-seen order. */
export function uniqueTopics(topics: readonly string[] | undefined): string[] {
  return [...new Set(topics ?? [])]
}

/**
 * A bloom query as a topic query, when at most `maxTopics` of the `stored` topics (every topic the
 * store holds) pass both the bloom and the query's own topic list: a per-topic index then reads
 * only matching messages, where the bloom test would scan the whole time range. The query as it
 * is when it has no bloom or more topics match; undefined when no stored topic matches.
 */
export function narrowBloom<Query extends MessageFilter>(
  query: Query,
  stored: Iterable<string>,
  maxTopics: number,
): Query | undefined {
  const { bloom } = query
  if (bloom === undefined) return query
  const wanted = query.topics?.length ? new Set(query.topics) : undefined
  const matching: string[] = []
  for (const topic of stored) {
    if ((wanted === undefined || wanted.has(topic)) && topicInBloom(topic, bloom)) matching.push(topic)
    if (matching.length > maxTopics) return query
  }
  if (matching.length === 0) return undefined
  const narrowed: Query = { ...query, topics: matching }
  delete narrowed.bloom
  return narrowed
}

/** Where a page starts and ends in (timestamp, hash) order; absent fields do not bound it. */
export interface SeekBounds {
  from?: bigint
  to?: bigint
  /** strictly after this (a forward page's cursor) */
  after?: MessageCursor
  /** strictly before this (a backward page's cursor) */
  before?: MessageCursor
}

/**
 * The bounds of a query's page, or undefined when its time range lies outside the signed 64-bit
 * range. On the cursor's side only the tighter of cursor and time bound is kept: a cursor inside
 * the range makes the time bound redundant, one outside excludes nothing. (SQL planners seek an
 * index with a row-value bound only when no plain bound on the same column competes with it.)
 * Bounds at the ends of the 64-bit range are dropped: they exclude nothing.
 */
export function seekBounds(
  filter: MessageFilter,
  cursor?: MessageCursor,
  backward = false,
): SeekBounds | undefined {
  let { from, to } = filter
  if (from !== undefined && from > INT64_MAX) return undefined
  if (to !== undefined && to < INT64_MIN) return undefined
  const bounds: SeekBounds = {}
  if (cursor !== undefined && !backward) {
    if (from === undefined || cursor.timestamp >= from) {
      bounds.after = cursor
      from = undefined
    }
  }
  if (cursor !== undefined && backward) {
    if (to === undefined || cursor.timestamp <= to) {
      bounds.before = cursor
      to = undefined
    }
  }
  if (from !== undefined && from > INT64_MIN) bounds.from = from
  if (to !== undefined && to < INT64_MAX) bounds.to = to
  return bounds
}
