import {
  type AbortOptions,
  type ArchivedMessage,
  InvalidParametersError,
  type MessagePage,
  type MessageQuery,
} from '@parley/interfaces'
import {
  assertInt64,
  INT64_MAX,
  INT64_MIN,
  type MessageFilter,
  narrowBloom,
  pageOf,
  pageSize,
  throwIfAborted,
  validateQuery,
  type WriteGuard,
} from '@parley/store-utils'
import type { Database } from './database.ts'
import { countSql, pageSql } from './query-sql.ts'

const INSERT =
  'INSERT OR IGNORE INTO messages (hash, timestamp, topic, pubsub_topic, data) VALUES (?, ?, ?, ?, ?)'
const INSERT_TOPIC = 'INSERT OR IGNORE INTO topics (topic) VALUES (?)'
const TOPICS = 'SELECT topic FROM topics'
/** A bloom matching at most this many stored topics is answered by their per-topic merge. */
const MAX_BLOOM_TOPICS = 32
const DELETE_OLDER = 'DELETE FROM messages WHERE timestamp < ?'
const DELETE_ALL = 'DELETE FROM messages'
const SIZE = 'SELECT COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM messages'

/**
 * The message-archive half of the SQLite store. Order is (timestamp, hash): both indexes end in
 * those columns, and cursors become row-value comparisons, so a page costs what it returns
 * (keyset pagination) rather than everything before it.
 */
export class SqliteMessages {
  readonly #database: () => Database
  readonly #write: WriteGuard
  readonly #maxPageSize: number

  /** `database` returns the open connection or throws; `write` wraps writes (SQLITE_FULL translation). */
  constructor(database: () => Database, write: WriteGuard, maxPageSize: number) {
    this.#database = database
    this.#write = write
    this.#maxPageSize = maxPageSize
  }

  async insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    for (const message of messages) assertInt64(message.timestamp, 'timestamp')
    if (messages.length === 0) return 0
    const database = this.#database()
    const added = await this.#write(() => this.#insert(database, messages))
    // Only once committed: a rolled-back insert must not mark its topics as recorded.
    for (const message of messages) database.knownTopics.add(message.topic)
    return added
  }

  /** One transaction: the messages new by hash, and the topics not recorded yet. */
  #insert(database: Database, messages: readonly ArchivedMessage[]): number {
    return database.transaction(() => {
      const insert = database.statement(INSERT)
      const fresh = new Set<string>()
      let count = 0
      for (const message of messages) {
        const { hash, timestamp, topic, pubsubTopic, data } = message
        count += Number(insert.run(hash, timestamp, topic, pubsubTopic ?? '', data).changes)
        if (!database.knownTopics.has(topic)) fresh.add(topic)
      }
      const insertTopic = database.statement(INSERT_TOPIC)
      for (const topic of fresh) insertTopic.run(topic)
      return count
    })
  }

  async query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage> {
    throwIfAborted(options)
    validateQuery(query)
    // 0 or absent means "the default page size", as the Waku store protocol treats it.
    const limit = pageSize(query.limit, this.#maxPageSize)
    const narrowed = this.#narrowBloom(query)
    if (narrowed === undefined) return { messages: [] }
    // One row past the page tells whether another page follows.
    const page = pageSql(narrowed, limit + 1)
    if (page === undefined) return { messages: [] }
    const rows = this.#database()
      .statement(page.sql, true)
      .all(...page.parameters)
    return pageOf(rows.map(toMessage), limit)
  }

  async count(query: MessageFilter = {}, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    validateQuery(query)
    const narrowed = this.#narrowBloom(query)
    if (narrowed === undefined) return 0
    const count = countSql(narrowed)
    if (count === undefined) return 0
    const row = this.#database()
      .statement(count.sql)
      .get(...count.parameters)
    return Number(row?.count ?? 0)
  }

  async deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    if (typeof before !== 'bigint') throw new InvalidParametersError(`before must be a bigint, got ${before}`)
    if (before <= INT64_MIN) return 0
    // A bound past the 64-bit range is above every storable timestamp.
    const statement = before > INT64_MAX ? DELETE_ALL : DELETE_OLDER
    const parameters = before > INT64_MAX ? [] : [before]
    return Number(
      this.#database()
        .statement(statement)
        .run(...parameters).changes,
    )
  }

  /** A bloom query as a topic query when few stored topics match (see `narrowBloom`). */
  #narrowBloom<Query extends MessageFilter>(query: Query): Query | undefined {
    return narrowBloom(query, this.#storedTopics(), MAX_BLOOM_TOPICS)
  }

  /** Read lazily: `narrowBloom` stops once too many topics match. */
  *#storedTopics(): Generator<string> {
    for (const row of this.#database().statement(TOPICS).iterate()) yield row.topic as string
  }

  async size(options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    const row = this.#database().statement(SIZE).get()
    return Number(row?.bytes ?? 0)
  }
}

function toMessage(row: Record<string, unknown>): ArchivedMessage {
  const message: ArchivedMessage = {
    hash: row.hash as Uint8Array,
    timestamp: row.timestamp as bigint,
    topic: row.topic as string,
    data: row.data as Uint8Array,
  }
  const pubsubTopic = row.pubsub_topic as string
  if (pubsubTopic !== '') message.pubsubTopic = pubsubTopic
  return message
}
