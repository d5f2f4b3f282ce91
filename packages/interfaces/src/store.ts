import type { AbortOptions } from './abort.ts'
import type { Startable } from './startable.ts'

export interface KeyValueEntriesOptions extends AbortOptions {
  /** only keys starting with these bytes */
  prefix?: Uint8Array
  /** iterate in descending key order */
  reverse?: boolean
  /** at most this many entries; 0 yields none */
  limit?: number
}

/** Writes applied atomically by `commit`: all of them or none. */
export interface KeyValueBatch {
  put(key: Uint8Array, value: Uint8Array): this
  delete(key: Uint8Array): this
  commit(options?: AbortOptions): Promise<void>
}

/** A byte-keyed store. Keys iterate in unsigned lexicographic byte order. */
export interface KeyValueStore extends Startable {
  get(key: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined>
  put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<void>
  delete(key: Uint8Array, options?: AbortOptions): Promise<void>
  has(key: Uint8Array, options?: AbortOptions): Promise<boolean>
  batch(): KeyValueBatch
  entries(options?: KeyValueEntriesOptions): AsyncIterable<[key: Uint8Array, value: Uint8Array]>
}

/**
 * One archived message: a Whisper/Waku v1 envelope or a Waku v2 message, stored as its wire bytes.
 * `timestamp` is in nanoseconds (Waku v2 precision; v1 envelopes use their send time × 1e9).
 */
export interface ArchivedMessage {
  /** unique per message: envelope hash (v1) or deterministic message hash (v2) */
  hash: Uint8Array
  timestamp: bigint
  /** 4-byte topic as 8 hex chars (v1) or content topic (v2) */
  topic: string
  /** Waku v2 pubsub topic; empty for v1 */
  pubsubTopic?: string
  /** the encoded envelope or message */
  data: Uint8Array
}

/** Position in a query, exclusive: the next page starts after (or before) this message. */
export interface MessageCursor {
  timestamp: bigint
  hash: Uint8Array
}

export interface MessageQuery {
  /** inclusive lower bound, ns */
  from?: bigint
  /** inclusive upper bound, ns (nwaku and status-go treat the end as inclusive) */
  to?: bigint
  /** any of these topics; empty or absent means every topic */
  topics?: readonly string[]
  pubsubTopic?: string
  hashes?: readonly Uint8Array[]
  /**
   * A Whisper/Waku v1 topic bloom (64 bytes): matches messages whose topic is a 4-byte v1 topic (8 hex
   * chars) and whose topic bloom (go-ethereum `TopicToBloom`) has no bit outside this one. Messages
   * with any other topic never match. Combines with `topics` like every other filter (both must hold).
   */
  bloom?: Uint8Array
  /** page size; absent or 0 means the adapter's default page size, and adapters cap it at their maximum */
  limit?: number
  cursor?: MessageCursor
  /**
   * `forward` pages oldest first (default); `backward` pages newest first, and its messages come
   * newest first too (a Waku store adapter reverses them to nwaku's oldest-first order).
   */
  direction?: 'forward' | 'backward'
}

export interface MessagePage {
  messages: ArchivedMessage[]
  /** present when more messages may follow; pass it back to get the next page */
  cursor?: MessageCursor
}

/**
 * A time- and topic-indexed message archive, ordered by (timestamp, hash).
 *
 * Bad input is a typed error, never a silent full scan: `from > to`, a negative or non-numeric
 * `limit`, a bloom that is not 64 bytes or a timestamp the adapter cannot store reject with
 * `InvalidParametersError`. A write the storage cannot take (disk or quota full) rejects with an
 * error whose `code` is `ERR_STORE_FULL`, and leaves the archive as it was before that write.
 */
export interface MessageArchive extends Startable {
  /** Inserts messages atomically, ignoring ones whose hash is already stored; resolves with the number added. */
  insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number>
  query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage>
  count(query?: Omit<MessageQuery, 'limit' | 'cursor' | 'direction'>, options?: AbortOptions): Promise<number>
  /** Deletes messages with `timestamp < before`; resolves with the number deleted. */
  deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number>
  /** Approximate bytes used by stored message data. */
  size(options?: AbortOptions): Promise<number>
}
