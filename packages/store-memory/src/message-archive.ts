import type {
  AbortOptions,
  ArchivedMessage,
  MessageArchive,
  MessagePage,
  MessageQuery,
} from '@parley/interfaces'
import {
  assertInt64,
  compareMessages,
  type MessageFilter,
  pageOf,
  pageSize,
  positiveInteger,
  throwIfAborted,
  topicMatcher,
  validateQuery,
} from '@parley/store-utils'
import { partitionPoint, toHex } from './util.ts'

export interface MemoryMessageArchiveInit {
  /** keep at most this many messages, evicting the oldest (default: unbounded) */
  maxMessages?: number
  /** the largest page a query returns, and the page size when a query gives none (default 1000) */
  maxPageSize?: number
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
    const maxMessages = init.maxMessages ?? Number.POSITIVE_INFINITY
    this.#maxMessages =
      maxMessages === Number.POSITIVE_INFINITY ? maxMessages : positiveInteger(maxMessages, 'maxMessages')
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
    const matches = topicMatcher(query)
    // One match past the page tells whether another page follows.
    const found: ArchivedMessage[] = []
    for (let step = 0; step < high - low && found.length <= limit; step++) {
      const message = items[backward ? high - 1 - step : low + step] as ArchivedMessage
      if (matches(message)) found.push(copy(message))
    }
    return pageOf(found, limit)
  }

  async count(query: MessageFilter = {}, options?: AbortOptions): Promise<number> {
    throwIfAborted(options)
    validateQuery(query)
    const { items, low, high } = this.#candidates(query)
    const filtered = query.topics?.length || query.pubsubTopic !== undefined || query.bloom !== undefined
    if (!filtered) return high - low
    const matches = topicMatcher(query)
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
  #candidates(query: MessageFilter): { items: readonly ArchivedMessage[]; low: number; high: number } {
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
