import type { SQLInputValue } from 'node:sqlite'
import {
  type AbortOptions,
  type ArchivedMessage,
  InvalidParametersError,
  type MessagePage,
  type MessageQuery,
} from '@parley/interfaces'
import type { Database } from './database.ts'
import { assertInt64, INT64_MAX, INT64_MIN, throwIfAborted } from './util.ts'

type Filter = Omit<MessageQuery, 'limit' | 'cursor' | 'direction'>

const INSERT =
  'INSERT OR IGNORE INTO messages (hash, timestamp, topic, pubsub_topic, data) VALUES (?, ?, ?, ?, ?)'
const DELETE_OLDER = 'DELETE FROM messages WHERE timestamp < ?'
const DELETE_ALL = 'DELETE FROM messages'
const SIZE = 'SELECT COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM messages'

/** A WHERE clause and its parameters, or `undefined` when the filter can match nothing. */
interface Clause {
  conditions: string[]
  parameters: SQLInputValue[]
}

/**
 * The message-archive half of the SQLite store. Order is (timestamp, hash): both indexes end in
 * those columns, and cursors become row-value comparisons, so a page costs what it returns
 * (keyset pagination) rather than everything before it.
 */
export class SqliteMessages {
  readonly #database: () => Database
  readonly #maxPageSize: number

  constructor(database: () => Database, maxPageSize: number) {
    this.#database = database
    this.#maxPageSize = maxPageSize
  }

  insert(messages: readonly ArchivedMessage[], options?: AbortOptions): number {
    throwIfAborted(options)
    for (const message of messages) assertInt64(message.timestamp, 'timestamp')
    if (messages.length === 0) return 0
    const database = this.#database()
    return database.transaction(() => {
      const insert = database.statement(INSERT)
      let added = 0
      for (const message of messages) {
        const { hash, timestamp, topic, pubsubTopic, data } = message
        added += Number(insert.run(hash, timestamp, topic, pubsubTopic ?? '', data).changes)
      }
      return added
    })
  }

  query(query: MessageQuery, options?: AbortOptions): MessagePage {
    throwIfAborted(options)
    if (query.limit !== undefined && !(query.limit >= 0)) {
      throw new InvalidParametersError(`limit must be a non-negative number, got ${query.limit}`)
    }
    // 0 or absent means "the default page size", as the Waku store protocol treats it.
    const limit = Math.min(query.limit ? Math.floor(query.limit) : this.#maxPageSize, this.#maxPageSize)
    const backward = query.direction === 'backward'
    const clause = where(query)
    if (clause === undefined) return { messages: [] }
    if (query.cursor !== undefined) {
      assertInt64(query.cursor.timestamp, 'cursor.timestamp')
      clause.conditions.push(backward ? '(timestamp, hash) < (?, ?)' : '(timestamp, hash) > (?, ?)')
      clause.parameters.push(query.cursor.timestamp, query.cursor.hash)
    }
    const order = backward ? 'timestamp DESC, hash DESC' : 'timestamp ASC, hash ASC'
    // One row past the page tells whether another page follows.
    const sql = `SELECT hash, timestamp, topic, pubsub_topic, data FROM messages${render(clause)} ORDER BY ${order} LIMIT ?`
    const rows = this.#database()
      .statement(sql, true)
      .all(...clause.parameters, limit + 1)
    const messages = rows.slice(0, limit).map(toMessage)
    const page: MessagePage = { messages }
    const last = messages.at(-1)
    if (rows.length > limit && last !== undefined) {
      page.cursor = { timestamp: last.timestamp, hash: last.hash.slice() }
    }
    return page
  }

  count(query: Filter = {}, options?: AbortOptions): number {
    throwIfAborted(options)
    const clause = where(query)
    if (clause === undefined) return 0
    const row = this.#database()
      .statement(`SELECT COUNT(*) AS count FROM messages${render(clause)}`)
      .get(...clause.parameters)
    return Number(row?.count ?? 0)
  }

  deleteOlderThan(before: bigint, options?: AbortOptions): number {
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

  size(options?: AbortOptions): number {
    throwIfAborted(options)
    const row = this.#database().statement(SIZE).get()
    return Number(row?.bytes ?? 0)
  }
}

/** The filter as SQL. Topic and hash lists travel as one JSON parameter, so the SQL text (and its
 * cached statement) does not vary with their length. */
function where(query: Filter): Clause | undefined {
  const clause: Clause = { conditions: [], parameters: [] }
  if (query.from !== undefined) {
    if (query.from > INT64_MAX) return undefined
    if (query.from > INT64_MIN) {
      clause.conditions.push('timestamp >= ?')
      clause.parameters.push(query.from)
    }
  }
  if (query.to !== undefined) {
    if (query.to < INT64_MIN) return undefined
    if (query.to < INT64_MAX) {
      clause.conditions.push('timestamp <= ?')
      clause.parameters.push(query.to)
    }
  }
  const topics = query.topics ?? []
  if (topics.length === 1) {
    // A single topic is an equality, which lets the (topic, timestamp, hash) index deliver rows in order.
    clause.conditions.push('topic = ?')
    clause.parameters.push(topics[0] as string)
  } else if (topics.length > 1) {
    clause.conditions.push('topic IN (SELECT value FROM json_each(?))')
    clause.parameters.push(JSON.stringify(topics))
  }
  if (query.pubsubTopic !== undefined) {
    clause.conditions.push('pubsub_topic = ?')
    clause.parameters.push(query.pubsubTopic)
  }
  if (query.hashes !== undefined) {
    if (query.hashes.length === 0) return undefined
    clause.conditions.push('hash IN (SELECT unhex(value) FROM json_each(?))')
    clause.parameters.push(JSON.stringify(query.hashes.map((hash) => Buffer.from(hash).toString('hex'))))
  }
  return clause
}

function render(clause: Clause): string {
  return clause.conditions.length === 0 ? '' : ` WHERE ${clause.conditions.join(' AND ')}`
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
