import {
  type AbortOptions,
  type ArchivedMessage,
  InvalidParametersError,
  type MessageArchive,
  type MessageCursor,
  type MessagePage,
  type MessageQuery,
} from '@parley/interfaces'
import { assertInt64, pageSize, topicInBloom, validateQuery } from './query-checks.ts'
import { compareBytes, partitionPoint, throwIfAborted, toHex } from './util.ts'

export interface MemoryMessageArchiveInit {
  /** keep at most this many messages, evicting the oldest (default: unbounded) */
  maxMessages?: number
  /** the largest page a query returns, and the page size when a query gives none (default 1000) */
  maxPageSize?: number
}

type Filter = Omit<MessageQuery, 'limit' | 'cursor' | 'direction'>

function compareMessages(a: MessageCursor, b: MessageCursor): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  return compareBytes(a.hash, b.hash)
}

function copy(message: ArchivedMessage): ArchivedMessage {
  const result: ArchivedMessage = {
    hash: message.hash.slice(),
    timestamp: message.timestamp,
    topic: message.topic,
    data: message.data.slice(),
  }
  if (message.pubsubTopic !== undefined && message.pubsubTopic !== '')
    result.pubsubTopic = message.pubsubTopic
  return result
}

function footprint(message: ArchivedMessage): number {
  return message.data.length + message.hash.length + message.topic.length + (message.pubsubTopic?.length ?? 0)
}

/**
 * A `MessageArchive` in memory: one array sorted by (timestamp, hash) and a hash index. Time ranges
 * and cursors are found by binary search; inserts of many messages merge in one pass. Messages are
 * copied in and out.
 */
export class MemoryMessageArchive implements MessageArchive {
  readonly #maxMessages: number
  readonly #maxPageSize: number
  #sorted: ArchivedMessage[] = []
  readonly #byHash = new Map<string, ArchivedMessage>()
  #bytes = 0
  #started = false

  constructor(init: MemoryMessageArchiveInit = {}) {
    this.#maxMessages = positiveInteger(init.maxMessages ?? Number.POSITIVE_INFINITY, 'maxMessages')
    this.#maxPageSize = positiveInteger(init.maxPageSize ?? 1000, 'maxPageSize')
  }

  start(options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    this.#started = true
    return Promise.resolve()
  }

  stop(): Promise<void> {
    this.#started = false
    return Promise.resolve()
  }

  isStarted(): boolean {
    return this.#started
  }

  /** Resolves with how many messages were new; with `maxMessages`, the oldest are then evicted. */
  async insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    for (const message of messages) assertInt64(message.timestamp, 'timestamp')
    // Nothing below awaits, so concurrent inserts cannot interleave: each lands whole.
    const fresh = new Map<string, ArchivedMessage>()
    for (const message of messages) {
      const id = toHex(message.hash)
      if (!this.#byHash.has(id) && !fresh.has(id)) fresh.set(id, copy(message))
    }
    if (fresh.size === 0) return 0
    const added = [...fresh.values()]
    if (added.length <= 16) {
      for (const message of added) {
        this.#sorted.splice(
          partitionPoint(this.#sorted, (stored) => compareMessages(stored, message) > 0),
          0,
          message,
        )
      }
    } else {
      this.#sorted = merge(this.#sorted, added.sort(compareMessages))
    }
    for (const [id, message] of fresh) {
      this.#byHash.set(id, message)
      this.#bytes += footprint(message)
    }
    const excess = this.#sorted.length - this.#maxMessages
    if (excess > 0) this.#forget(this.#sorted.splice(0, excess))
    return added.length
  }

  async query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage> {
    throwIfAborted(options)
    validateQuery(query)
    // 0 or absent means "the default page size", as the Waku store protocol treats it.
    const limit = pageSize(query.limit, this.#maxPageSize)
    const backward = query.direction === 'backward'
    const { items, low: first, high: end } = this.#candidates(query)
    let [low, high] = [first, end]
    if (query.cursor !== undefined) {
      const cursor = query.cursor
      if (backward)
        high = partitionPoint(items, (message) => compareMessages(message, cursor) >= 0, low, high)
      else low = partitionPoint(items, (message) => compareMessages(message, cursor) > 0, low, high)
    }
    const matches = matcher(query)
    const page: ArchivedMessage[] = []
    let more = false
    for (let step = 0; step < high - low; step++) {
      const message = items[backward ? high - 1 - step : low + step] as ArchivedMessage
      if (!matches(message)) continue
      if (page.length === limit) {
        more = true
        break
      }
      page.push(message)
    }
    const last = page.at(-1)
    const result: MessagePage = { messages: page.map(copy) }
    if (more && last !== undefined) result.cursor = { timestamp: last.timestamp, hash: last.hash.slice() }
    return result
  }

  async count(query: Filter = {}, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    validateQuery(query)
    const { items, low, high } = this.#candidates(query)
    const filtered = query.topics?.length || query.pubsubTopic !== undefined || query.bloom !== undefined
    if (!filtered) return high - low
    const matches = matcher(query)
    let count = 0
    for (let index = low; index < high; index++) if (matches(items[index] as ArchivedMessage)) count += 1
    return count
  }

  async deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    const end = partitionPoint(this.#sorted, (message) => message.timestamp >= before)
    const removed = this.#sorted.splice(0, end)
    this.#forget(removed)
    return removed.length
  }

  async size(options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    return this.#bytes
  }

  /**
   * Where to look, before topic filters: `items[low, high)` is sorted and holds exactly the messages
   * in the query's time range (the whole archive, or just the query's hashes).
   */
  #candidates(query: Filter): { items: readonly ArchivedMessage[]; low: number; high: number } {
    const { from, to } = query
    if (query.hashes !== undefined) {
      const found = new Set<ArchivedMessage>()
      for (const hash of query.hashes) {
        const message = this.#byHash.get(toHex(hash))
        if (message !== undefined && (from === undefined || message.timestamp >= from)) {
          if (to === undefined || message.timestamp <= to) found.add(message)
        }
      }
      const items = [...found].sort(compareMessages)
      return { items, low: 0, high: items.length }
    }
    const items = this.#sorted
    const low = from === undefined ? 0 : partitionPoint(items, (message) => message.timestamp >= from)
    const high =
      to === undefined ? items.length : partitionPoint(items, (message) => message.timestamp > to, low)
    return { items, low, high: Math.max(low, high) }
  }

  #forget(messages: readonly ArchivedMessage[]): void {
    for (const message of messages) {
      this.#byHash.delete(toHex(message.hash))
      this.#bytes -= footprint(message)
    }
  }
}

function matcher(query: Filter): (message: ArchivedMessage) => boolean {
  const topics = query.topics?.length ? new Set(query.topics) : undefined
  const { pubsubTopic, bloom } = query
  return (message) =>
    (topics === undefined || topics.has(message.topic)) &&
    (pubsubTopic === undefined || (message.pubsubTopic ?? '') === pubsubTopic) &&
    (bloom === undefined || topicInBloom(message.topic, bloom))
}

/** Merges two arrays sorted by (timestamp, hash). */
function merge(a: readonly ArchivedMessage[], b: readonly ArchivedMessage[]): ArchivedMessage[] {
  const result: ArchivedMessage[] = new Array(a.length + b.length)
  let [i, j, k] = [0, 0, 0]
  while (i < a.length && j < b.length) {
    result[k++] = compareMessages(a[i] as ArchivedMessage, b[j] as ArchivedMessage) <= 0 ? a[i++]! : b[j++]!
  }
  while (i < a.length) result[k++] = a[i++]!
  while (j < b.length) result[k++] = b[j++]!
  return result
}

function positiveInteger(value: number, name: string): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value > 0)) return value
  throw new InvalidParametersError(`${name} must be a positive integer, got ${value}`)
}
