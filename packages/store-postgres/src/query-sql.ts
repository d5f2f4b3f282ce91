import type { MessageCursor, MessageQuery } from '@parley/interfaces'
import { type MessageFilter, seekBounds, uniqueTopics } from '@parley/store-utils'

export interface Sql {
  text: string
  values: unknown[]
}

const COLUMNS = 'hash, timestamp, topic, pubsub_topic, data'
/** More topics than this are matched with `= ANY` (then sorted) instead of one index range each. */
const MAX_UNION_TOPICS = 32

/** A 64-byte bloom as a `bit(512)` literal, byte 0 first, most significant bit first within a byte. */
export function bloomBits(bloom: Uint8Array): string {
  let bits = ''
  for (const byte of bloom) bits += byte.toString(2).padStart(8, '0')
  return bits
}

/** Builds `$n` placeholders as values are added. */
class Clause {
  readonly conditions: string[] = []
  readonly values: unknown[] = []

  add(condition: (...placeholders: string[]) => string, ...values: unknown[]): void {
    const placeholders = values.map((value) => {
      this.values.push(value)
      return `$${this.values.length}`
    })
    this.conditions.push(condition(...placeholders))
  }

  where(extra: string[] = []): string {
    const all = [...extra, ...this.conditions]
    return all.length === 0 ? '' : ` WHERE ${all.join(' AND ')}`
  }

  placeholder(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/** `SELECT count(*)` for a filter, or undefined when it can match nothing. */
export function countSql(table: string, filter: MessageFilter): Sql | undefined {
  const clause = conditions(filter)
  if (clause === undefined) return undefined
  const topics = uniqueTopics(filter.topics)
  if (topics.length > 0) clause.add((p) => `topic = ANY(${p}::text[])`, topics)
  return { text: `SELECT count(*) AS count FROM ${table}${clause.where()}`, values: clause.values }
}

/**
 * One page of `query`, `rows` long, or undefined when it can match nothing. Every plan walks an
 * index in (timestamp, hash) order from the cursor (keyset pagination): one topic uses the
 * (topic, timestamp, hash) index; 2–32 topics merge one such range each (UNION ALL of per-topic
 * pages), which `= ANY` cannot do without sorting every match.
 */
export function pageSql(table: string, query: MessageQuery, rows: number): Sql | undefined {
  const backward = query.direction === 'backward'
  const clause = conditions(query, query.cursor, backward)
  if (clause === undefined) return undefined
  const order = backward ? 'timestamp DESC, hash DESC' : 'timestamp ASC, hash ASC'
  const topics = uniqueTopics(query.topics)
  if (topics.length <= 1 || topics.length > MAX_UNION_TOPICS) {
    if (topics.length === 1) clause.add((p) => `topic = ${p}`, topics[0])
    else if (topics.length > 1) clause.add((p) => `topic = ANY(${p}::text[])`, topics)
    const limit = clause.placeholder(rows)
    return {
      text: `SELECT ${COLUMNS} FROM ${table}${clause.where()} ORDER BY ${order} LIMIT ${limit}`,
      values: clause.values,
    }
  }
  const limit = clause.placeholder(rows)
  const branches = topics.map((topic) => {
    const p = clause.placeholder(topic)
    return `(SELECT ${COLUMNS} FROM ${table}${clause.where([`topic = ${p}`])} ORDER BY ${order} LIMIT ${limit})`
  })
  return { text: `${branches.join(' UNION ALL ')} ORDER BY ${order} LIMIT ${limit}`, values: clause.values }
}

/**
 * Time range, cursor, pubsub topic, bloom and hashes (not topics). `seekBounds` keeps only the
 * tighter of cursor and time bound on the cursor's side, so the index is entered at the cursor.
 */
function conditions(filter: MessageFilter, cursor?: MessageCursor, backward = false): Clause | undefined {
  const bounds = seekBounds(filter, cursor, backward)
  if (bounds === undefined) return undefined
  const clause = new Clause()
  const { from, to, after, before } = bounds
  if (from !== undefined) clause.add((p) => `timestamp >= ${p}::bigint`, from)
  if (to !== undefined) clause.add((p) => `timestamp <= ${p}::bigint`, to)
  if (after !== undefined)
    clause.add((t, h) => `(timestamp, hash) > (${t}::bigint, ${h}::bytea)`, after.timestamp, after.hash)
  if (before !== undefined)
    clause.add((t, h) => `(timestamp, hash) < (${t}::bigint, ${h}::bytea)`, before.timestamp, before.hash)
  if (filter.pubsubTopic !== undefined) clause.add((p) => `pubsub_topic = ${p}`, filter.pubsubTopic)
  if (filter.bloom !== undefined) {
    // Rows without a bloom (non-v1 topics) compare NULL, which is not true: they never match.
    clause.add((p) => `(bloom & ${p}::bit(512)) = bloom`, bloomBits(filter.bloom))
  }
  if (filter.hashes !== undefined) {
    if (filter.hashes.length === 0) return undefined
    clause.add((p) => `hash = ANY(${p}::bytea[])`, filter.hashes)
  }
  return clause
}
