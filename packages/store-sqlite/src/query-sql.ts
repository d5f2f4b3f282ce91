import type { SQLInputValue } from 'node:sqlite'
import type { MessageCursor, MessageQuery } from '@parley/interfaces'
import { INT64_MAX, INT64_MIN } from './query-checks.ts'

export type Filter = Omit<MessageQuery, 'limit' | 'cursor' | 'direction'>

export interface Sql {
  sql: string
  parameters: SQLInputValue[]
}

const COLUMNS = 'hash, timestamp, topic, pubsub_topic, data'
/** More topics than this are matched through one JSON list instead of one index range each. */
const MAX_UNION_TOPICS = 32

/** `SELECT COUNT(*)` for a filter, or undefined when it can match nothing. */
export function countSql(filter: Filter): Sql | undefined {
  const clause = conditions(filter)
  if (clause === undefined) return undefined
  addTopicList(clause, unique(filter.topics))
  return { sql: `SELECT COUNT(*) AS count FROM messages${render(clause)}`, parameters: clause.parameters }
}

/**
 * One page of `query`, `rows` long, or undefined when it can match nothing. Every plan walks an
 * index in (timestamp, hash) order from the cursor, so a page costs what it returns: one topic uses
 * the (topic, timestamp, hash) index; several topics merge one such range per topic (UNION ALL of
 * per-topic pages), which an IN list cannot do without sorting every match.
 */
export function pageSql(query: MessageQuery, rows: number): Sql | undefined {
  const backward = query.direction === 'backward'
  const clause = conditions(query, query.cursor, backward)
  if (clause === undefined) return undefined
  const order = backward ? 'timestamp DESC, hash DESC' : 'timestamp ASC, hash ASC'
  const topics = unique(query.topics)
  if (topics.length <= 1 || topics.length > MAX_UNION_TOPICS) {
    addTopicList(clause, topics)
    return {
      sql: `SELECT ${COLUMNS} FROM messages${render(clause)} ORDER BY ${order} LIMIT ?`,
      parameters: [...clause.parameters, rows],
    }
  }
  const branch = `SELECT * FROM (SELECT ${COLUMNS} FROM messages${render({ ...clause, conditions: ['topic = ?', ...clause.conditions] })} ORDER BY ${order} LIMIT ?)`
  return {
    sql: `${topics.map(() => branch).join(' UNION ALL ')} ORDER BY ${order} LIMIT ?`,
    parameters: [...topics.flatMap((topic) => [topic, ...clause.parameters, rows]), rows],
  }
}

interface Clause {
  conditions: string[]
  parameters: SQLInputValue[]
}

/**
 * Time range, cursor, pubsub topic and hashes (not topics). On the cursor's side only the tighter
 * of cursor and time bound is kept: SQLite seeks an index with a row-value bound only when no plain
 * bound on `timestamp` competes with it.
 */
function conditions(filter: Filter, cursor?: MessageCursor, backward = false): Clause | undefined {
  const clause: Clause = { conditions: [], parameters: [] }
  let { from, to } = filter
  if (from !== undefined && from > INT64_MAX) return undefined
  if (to !== undefined && to < INT64_MIN) return undefined
  let after = !backward && cursor !== undefined
  let before = backward && cursor !== undefined
  // Rows past a cursor inside the range are inside the bound too; a cursor outside it excludes nothing.
  if (after && cursor !== undefined && from !== undefined) {
    if (cursor.timestamp >= from) from = undefined
    else after = false
  }
  if (before && cursor !== undefined && to !== undefined) {
    if (cursor.timestamp <= to) to = undefined
    else before = false
  }
  if (from !== undefined && from > INT64_MIN) add(clause, 'timestamp >= ?', from)
  if (to !== undefined && to < INT64_MAX) add(clause, 'timestamp <= ?', to)
  if (cursor !== undefined && after) add(clause, '(timestamp, hash) > (?, ?)', cursor.timestamp, cursor.hash)
  if (cursor !== undefined && before) add(clause, '(timestamp, hash) < (?, ?)', cursor.timestamp, cursor.hash)
  if (filter.pubsubTopic !== undefined) add(clause, 'pubsub_topic = ?', filter.pubsubTopic)
  // A JS function registered on the connection (database.ts): SQLite has no bitwise ops on blobs.
  if (filter.bloom !== undefined) add(clause, 'topic_in_bloom(topic, ?) = 1', filter.bloom)
  if (filter.hashes !== undefined) {
    if (filter.hashes.length === 0) return undefined
    // One JSON parameter, so the SQL text (and its cached statement) does not vary with the count.
    const hex = filter.hashes.map((hash) =>
      Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('hex'),
    )
    add(clause, 'hash IN (SELECT unhex(value) FROM json_each(?))', JSON.stringify(hex))
  }
  return clause
}

function addTopicList(clause: Clause, topics: readonly string[]): void {
  // A single topic is an equality, so the (topic, timestamp, hash) index delivers rows in order.
  if (topics.length === 1) add(clause, 'topic = ?', topics[0] as string)
  else if (topics.length > 1) add(clause, 'topic IN (SELECT value FROM json_each(?))', JSON.stringify(topics))
}

function add(clause: Clause, condition: string, ...parameters: SQLInputValue[]): void {
  clause.conditions.push(condition)
  clause.parameters.push(...parameters)
}

function unique(topics: readonly string[] | undefined): string[] {
  return [...new Set(topics ?? [])]
}

function render(clause: Clause): string {
  return clause.conditions.length === 0 ? '' : ` WHERE ${clause.conditions.join(' AND ')}`
}
