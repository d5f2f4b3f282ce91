import type { AbortOptions, ArchivedMessage, MessagePage, MessageQuery } from '@parley/interfaces'
import { InvalidParametersError } from '@parley/interfaces'
import {
  assertInt64,
  INT64_MAX,
  INT64_MIN,
  type MessageFilter,
  narrowBloom,
  pageOf,
  pageSize,
  throwIfAborted,
  topicBloom,
  validateQuery,
  type WriteGuard,
} from '@parley/store-utils'
import type { Pool } from 'pg'
import { bloomBits, countSql, pageSql } from './query-sql.ts'
import { bytes } from './util.ts'

interface Row {
  hash: Uint8Array
  timestamp: string
  topic: string
  pubsub_topic: string
  data: Uint8Array
}

/** A bloom matching at most this many stored topics is answered by their per-topic merge. */
const MAX_BLOOM_TOPICS = 32

function toMessage(row: Row): ArchivedMessage {
  const message: ArchivedMessage = {
    hash: bytes(row.hash),
    timestamp: BigInt(row.timestamp),
    topic: row.topic,
    data: bytes(row.data),
  }
  if (row.pubsub_topic !== '') message.pubsubTopic = row.pubsub_topic
  return message
}

/**
 * The message-archive half of the PostgreSQL store. An insert is one statement over arrays
 * (`unnest`), atomic on its own; `ON CONFLICT DO NOTHING` makes concurrent writers (in this process
 * or another) dedup against each other and count only rows they added.
 */
export class PostgresMessages {
  readonly #pool: () => Pool
  readonly #write: WriteGuard
  readonly #table: string
  readonly #topicsTable: string
  readonly #maxPageSize: number
  /** topics known to be in the topics table (rows are never deleted, so this only grows) */
  readonly #knownTopics = new Set<string>()

  /** `pool` returns the open pool or throws; `write` wraps writes (disk_full translation). */
  constructor(pool: () => Pool, write: WriteGuard, schema: string, maxPageSize: number) {
    this.#pool = pool
    this.#write = write
    this.#table = `${schema}.messages`
    this.#topicsTable = `${schema}.topics`
    this.#maxPageSize = maxPageSize
  }

  async insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    const unique = new Map<string, ArchivedMessage>()
    for (const message of messages) {
      assertInt64(message.timestamp, 'timestamp')
      const id = Buffer.from(message.hash).toString('hex')
      if (!unique.has(id)) unique.set(id, message)
    }
    if (unique.size === 0) return 0
    // Sorted by hash, so concurrent inserts of overlapping batches take row locks in one order and
    // wait for each other instead of deadlocking.
    const rows = [...unique.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, message]) => message)
    const insert = `INSERT INTO ${this.#table} (hash, timestamp, topic, pubsub_topic, bloom, data)
       SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::text[], $4::text[], $5::bit(512)[], $6::bytea[])
       ON CONFLICT (hash) DO NOTHING`
    const newTopics = rows.some((row) => !this.#knownTopics.has(row.topic))
    // With a topic this store has not recorded yet, the same statement records the added rows' topics.
    const text = newTopics
      ? `WITH added AS (${insert} RETURNING topic),
         recorded AS (INSERT INTO ${this.#topicsTable} (topic) SELECT DISTINCT topic FROM added ORDER BY topic ON CONFLICT DO NOTHING)
         SELECT count(*) AS added FROM added`
      : insert
    const values = [
      rows.map((row) => row.hash),
      rows.map((row) => row.timestamp.toString()),
      rows.map((row) => row.topic),
      rows.map((row) => row.pubsubTopic ?? ''),
      rows.map((row) => {
        const bloom = topicBloom(row.topic)
        return bloom === undefined ? null : bloomBits(bloom)
      }),
      rows.map((row) => row.data),
    ]
    const result = await this.#write(() => this.#pool().query<{ added: string }>(text, values))
    if (newTopics) for (const row of rows) this.#knownTopics.add(row.topic)
    return newTopics ? Number(result.rows[0]?.added ?? 0) : (result.rowCount ?? 0)
  }

  async query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage> {
    throwIfAborted(options)
    validateQuery(query)
    const limit = pageSize(query.limit, this.#maxPageSize)
    const narrowed = await this.#narrowBloom(query)
    if (narrowed === undefined) return { messages: [] }
    // One row past the page tells whether another page follows.
    const sql = pageSql(this.#table, narrowed, limit + 1)
    if (sql === undefined) return { messages: [] }
    const { rows } = await this.#pool().query<Row>(sql.text, sql.values)
    return pageOf(rows.map(toMessage), limit)
  }

  async count(filter: MessageFilter = {}, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    validateQuery(filter)
    const narrowed = await this.#narrowBloom(filter)
    if (narrowed === undefined) return 0
    const sql = countSql(this.#table, narrowed)
    if (sql === undefined) return 0
    const { rows } = await this.#pool().query<{ count: string }>(sql.text, sql.values)
    return Number(rows[0]?.count ?? 0)
  }

  async deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    if (typeof before !== 'bigint') throw new InvalidParametersError(`before must be a bigint, got ${before}`)
    if (before <= INT64_MIN) return 0
    const result =
      before > INT64_MAX
        ? await this.#pool().query(`DELETE FROM ${this.#table}`)
        : await this.#pool().query(`DELETE FROM ${this.#table} WHERE timestamp < $1::bigint`, [
            before.toString(),
          ])
    return result.rowCount ?? 0
  }

  /** A bloom query as a topic query when few stored topics match (see `narrowBloom`). */
  async #narrowBloom<Query extends MessageFilter>(query: Query): Promise<Query | undefined> {
    if (query.bloom === undefined) return query
    const { rows } = await this.#pool().query<{ topic: string }>(`SELECT topic FROM ${this.#topicsTable}`)
    return narrowBloom(
      query,
      rows.map((row) => row.topic),
      MAX_BLOOM_TOPICS,
    )
  }

  /** Bytes the messages table takes on disk (with its indexes and TOAST): cheap, and what fills disks. */
  async size(options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    const { rows } = await this.#pool().query<{ bytes: string }>(
      'SELECT pg_total_relation_size($1::regclass) AS bytes',
      [this.#table],
    )
    return Number(rows[0]?.bytes ?? 0)
  }
}
