import {
  type AbortOptions,
  type ArchivedMessage,
  InvalidParametersError,
  type MessageCursor,
  type MessagePage,
  type MessageQuery,
} from '@parley/interfaces'
import {
  assertInt64,
  compareMessages,
  INT64_MAX,
  INT64_MIN,
  type MessageFilter,
  narrowBloom,
  pageOf,
  pageSize,
  throwIfAborted,
  topicMatcher,
  uniqueTopics,
  validateQuery,
  type WriteGuard,
} from '@parley/store-utils'
import { decodeRecord, encodeRecord, HASH_LENGTH, ownKey, queryBounds, SPACE, topicIndexKey } from './keys.ts'
import { encodeStats, STATS_KEY, type Stats } from './layout.ts'
import { type Level, scanMessages, scanTopics } from './scan.ts'
import { plain, Serial } from './util.ts'

type Operation = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

const DELETE_CHUNK = 4096
/** Up to this many topics, a query merges their topic-index ranges; more scan the time range. */
const MAX_INDEXED_TOPICS = 32
const FULL_HASH = new Uint8Array(HASH_LENGTH).fill(0xff)
const hashKey = (hash: Uint8Array): Uint8Array => ownKey(SPACE.hash, hash)

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Topic, pubsub topic, bloom, exact time range and (strictly past) the cursor. */
function matcher(query: MessageQuery): (message: ArchivedMessage) => boolean {
  const topicsMatch = topicMatcher(query)
  const { from, to, cursor } = query
  const sign = query.direction === 'backward' ? -1 : 1
  return (message) =>
    (from === undefined || message.timestamp >= from) &&
    (to === undefined || message.timestamp <= to) &&
    (cursor === undefined || compareMessages(message, cursor) * sign > 0) &&
    topicsMatch(message)
}

function unfiltered(filter: MessageFilter): boolean {
  return (
    filter.from === undefined &&
    filter.to === undefined &&
    !filter.topics?.length &&
    filter.pubsubTopic === undefined &&
    filter.hashes === undefined &&
    filter.bloom === undefined
  )
}

/**
 * The archive half of the LevelDB store. Reads merge the status-go and extended key ranges in
 * (timestamp, hash) order and filter as they go, as status-go's mailserver does; writes run one at
 * a time (they check the hash index before writing) and each is one atomic LevelDB batch that also
 * carries the updated stats.
 */
export class LevelMessages {
  readonly #db: () => Level
  readonly #write: WriteGuard
  readonly #maxPageSize: number
  readonly #serial = new Serial()
  #stats: Stats = { count: 0, bytes: 0 }
  /** every topic ever archived (LevelDB is single-process, so this stays complete) */
  #topics = new Set<string>()

  constructor(db: () => Level, write: WriteGuard, maxPageSize: number) {
    this.#db = db
    this.#write = write
    this.#maxPageSize = maxPageSize
  }

  /** The stats and topics read when the store opened. */
  load(stats: Stats, topics: Set<string>): void {
    this.#stats = stats
    this.#topics = topics
  }

  async insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    const fresh = new Map<string, { message: ArchivedMessage; key: Uint8Array; value: Uint8Array }>()
    for (const message of messages) {
      assertInt64(message.timestamp, 'timestamp')
      const id = toHex(message.hash)
      if (!fresh.has(id)) fresh.set(id, { message, ...encodeRecord(message) })
    }
    if (fresh.size === 0) return 0
    const db = this.#db()
    return this.#serial.run(async () => {
      throwIfAborted(options)
      const candidates = [...fresh.values()]
      const present = await db.hasMany(candidates.map(({ message }) => hashKey(message.hash)))
      const operations: Operation[] = []
      const stats = { ...this.#stats }
      candidates.forEach(({ message, key, value }, index) => {
        if (present[index]) return
        operations.push({ type: 'put', key, value: value.slice() })
        operations.push({ type: 'put', key: hashKey(message.hash), value: key })
        operations.push({ type: 'put', key: topicIndexKey(message), value: key })
        stats.count += 1
        stats.bytes += message.data.length
      })
      if (operations.length === 0) return 0
      operations.push({ type: 'put', key: STATS_KEY, value: encodeStats(stats) })
      await this.#write(() => db.batch(operations))
      const added = stats.count - this.#stats.count
      this.#stats = stats
      for (const { message } of candidates) this.#topics.add(message.topic)
      return added
    })
  }

  async query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage> {
    throwIfAborted(options)
    validateQuery(query)
    const limit = pageSize(query.limit, this.#maxPageSize)
    const matches = matcher(query)
    // One match past the page tells whether another page follows.
    const found: ArchivedMessage[] = []
    for await (const message of this.#candidates(query, limit + 1, options)) {
      if (matches(message)) found.push(message)
      if (found.length > limit) break
    }
    return pageOf(found, limit)
  }

  async count(filter: MessageFilter = {}, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    validateQuery(filter)
    if (unfiltered(filter)) return this.#stats.count
    const matches = matcher(filter)
    let count = 0
    for await (const message of this.#candidates(filter, 1024, options)) if (matches(message)) count += 1
    return count
  }

  async deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    if (typeof before !== 'bigint') throw new InvalidParametersError(`before must be a bigint, got ${before}`)
    if (before <= INT64_MIN) return 0
    const db = this.#db()
    return this.#serial.run(async () => {
      const high: MessageCursor =
        before > INT64_MAX
          ? { timestamp: INT64_MAX, hash: FULL_HASH }
          : { timestamp: before - 1n, hash: FULL_HASH }
      const bounds = { low: { timestamp: INT64_MIN, hash: new Uint8Array(HASH_LENGTH) }, high }
      let deleted = 0
      let operations: Operation[] = []
      const stats = { ...this.#stats }
      const flush = async () => {
        if (operations.length === 0) return
        operations.push({ type: 'put', key: STATS_KEY, value: encodeStats(stats) })
        await this.#write(() => db.batch(operations))
        this.#stats = { ...stats }
        operations = []
      }
      // Chunked: each chunk (with its stats) is atomic; a crash midway leaves a consistent prefix deleted.
      for await (const message of scanMessages(db, bounds, false, DELETE_CHUNK, options)) {
        operations.push(
          { type: 'del', key: encodeRecord(message).key },
          { type: 'del', key: hashKey(message.hash) },
          { type: 'del', key: topicIndexKey(message) },
        )
        stats.count -= 1
        stats.bytes -= message.data.length
        deleted += 1
        if (operations.length >= 3 * DELETE_CHUNK) await flush()
      }
      await flush()
      return deleted
    })
  }

  async size(options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    return this.#stats.bytes
  }

  /** Messages that may match, in query order: the hash lookups, or a scan of the time range. */
  async *#candidates(
    query: MessageQuery,
    expected: number,
    options?: AbortOptions,
  ): AsyncGenerator<ArchivedMessage> {
    const db = this.#db()
    const backward = query.direction === 'backward'
    // A bloom covering few stored topics is read through their topic indexes, as 1–32 topics are.
    const narrowed = narrowBloom(query, this.#topics, MAX_INDEXED_TOPICS)
    if (narrowed === undefined) return
    const topics = uniqueTopics(narrowed.topics)
    if (query.hashes === undefined && topics.length > 0 && topics.length <= MAX_INDEXED_TOPICS) {
      const bounds = queryBounds(query.from, query.to, query.cursor, backward)
      yield* scanTopics(db, topics, bounds, backward, expected, options)
      return
    }
    if (query.hashes === undefined) {
      yield* scanMessages(
        db,
        queryBounds(query.from, query.to, query.cursor, backward),
        backward,
        expected,
        options,
      )
      return
    }
    const wanted = query.hashes.filter((hash) => hash.length === HASH_LENGTH)
    const keys = (await db.getMany(wanted.map(hashKey))).filter((key) => key !== undefined)
    const values = await db.getMany(keys)
    const found = new Map<string, ArchivedMessage>()
    keys.forEach((key, index) => {
      const value = values[index]
      const message = value === undefined ? undefined : decodeRecord(plain(key), plain(value))
      if (message !== undefined) found.set(toHex(message.hash), message)
    })
    const sorted = [...found.values()].sort(compareMessages)
    yield* backward ? sorted.reverse() : sorted
  }
}
