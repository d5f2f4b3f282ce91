import type { MessageCursor, MessageQuery } from '@parley/interfaces'
import { type MessageFilter, seekBounds, uniqueTopics } from '@parley/store-utils'
import type { SqlValue } from './drivers/index.ts'

export interface Sql {
  sql: string
  parameters: SqlValue[]
}

const COLUMNS = 'hash, timestamp, topic, pubsub_topic, data'
/** More topics than this are matched through one JSON list instead of one index range each. */
const MAX_UNION_TOPICS = 32

/** `SELECT COUNT(*)` for a filter, or undefined when it can match nothing. */
export function countSql(filter: MessageFilter): Sql | undefined {
  const clause = conditions(filter)
  if (clause === undefined) return undefined
  addTopicList(clause, uniqueTopics(filter.topics))
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
  const topics = uniqueTopics(query.topics)
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
  parameters: SqlValue[]
}

/**
 * Time range, cursor, pubsub topic and hashes (not topics). SQLite seeks an index with a row-value
 * bound only when no plain bound on `timestamp` competes with it: `seekBounds` keeps just one.
 */
function conditions(filter: MessageFilter, cursor?: MessageCursor, backward = false): Clause | undefined {
  const bounds = seekBounds(filter, cursor, backward)
  if (bounds === undefined) return undefined
  const clause: Clause = { conditions: [], parameters: [] }
  const { from, to, after, before } = bounds
  if (from !== undefined) add(clause, 'timestamp >= ?', from)
  if (to !== undefined) add(clause, 'timestamp <= ?', to)
  if (after !== undefined) add(clause, '(timestamp, hash) > (?, ?)', after.timestamp, after.hash)
  if (before !== undefined) add(clause, '(timestamp, hash) < (?, ?)', before.timestamp, before.hash)
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

function add(clause: Clause, condition: string, ...parameters: SqlValue[]): void {
  clause.conditions.push(condition)
  clause.parameters.push(...parameters)
}

function render(clause: Clause): string {
  return clause.conditions.length === 0 ? '' : ` WHERE ${clause.conditions.join(' AND ')}`
}
