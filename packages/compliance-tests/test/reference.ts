/**
 * Deliberately simple reference implementations, each with switchable bugs, so the compliance
 * tests can show that every suite passes a correct implementation and fails a broken one.
 */

import { compareBytes, toHex, topicBloom } from '@parley/compliance-tests'
import {
  AbortError,
  type AbortOptions,
  type ArchivedMessage,
  InvalidParametersError,
  type KeyValueBatch,
  type KeyValueEntriesOptions,
  type KeyValueStore,
  type MessageArchive,
  type MessagePage,
  type MessageQuery,
} from '@parley/interfaces'

function check(options?: AbortOptions): void {
  if (options?.signal?.aborted) throw new AbortError()
}

export type KeyValueBug =
  | 'signed-order'
  | 'prefix-without-carry'
  | 'no-copy'
  | 'partial-batch'
  | 'ignores-abort'

export class ReferenceKeyValueStore implements KeyValueStore {
  readonly #data = new Map<string, [Uint8Array, Uint8Array]>()
  readonly #bug: KeyValueBug | undefined

  constructor(bug?: KeyValueBug) {
    this.#bug = bug
  }

  async start(options?: AbortOptions) {
    check(options)
  }
  async stop() {}

  #check(options?: AbortOptions) {
    if (this.#bug !== 'ignores-abort') check(options)
  }

  #copy(bytes: Uint8Array) {
    return this.#bug === 'no-copy' ? bytes : bytes.slice()
  }

  async get(key: Uint8Array, options?: AbortOptions) {
    this.#check(options)
    const value = this.#data.get(toHex(key))?.[1]
    return value === undefined ? undefined : this.#copy(value)
  }
  async has(key: Uint8Array, options?: AbortOptions) {
    this.#check(options)
    return this.#data.has(toHex(key))
  }
  async put(key: Uint8Array, value: Uint8Array, options?: AbortOptions) {
    this.#check(options)
    this.#data.set(toHex(key), [this.#copy(key), this.#copy(value)])
  }
  async delete(key: Uint8Array, options?: AbortOptions) {
    this.#check(options)
    this.#data.delete(toHex(key))
  }

  batch(): KeyValueBatch {
    const operations: Array<[Uint8Array, Uint8Array | undefined]> = []
    const batch: KeyValueBatch = {
      put: (key, value) => {
        operations.push([key.slice(), value.slice()])
        return batch
      },
      delete: (key) => {
        operations.push([key.slice(), undefined])
        return batch
      },
      commit: async (options) => {
        for (const [index, [key, value]] of operations.entries()) {
          if (this.#bug === 'partial-batch' ? index === 1 : index === 0) this.#check(options)
          if (value === undefined) this.#data.delete(toHex(key))
          else this.#data.set(toHex(key), [key, value])
        }
      },
    }
    return batch
  }

  async *entries(options: KeyValueEntriesOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    this.#check(options)
    const compare =
      this.#bug === 'signed-order'
        ? (a: Uint8Array, b: Uint8Array) =>
            compareBytes(
              Uint8Array.from(a, (x) => x ^ 0x80),
              Uint8Array.from(b, (x) => x ^ 0x80),
            )
        : compareBytes
    let entries = [...this.#data.values()].sort(([a], [b]) => compare(a, b))
    const prefix = options.prefix
    if (prefix !== undefined && prefix.length > 0) {
      if (this.#bug === 'prefix-without-carry') {
        // The classic bug: upper bound = prefix with its last byte + 1, which overflows at 0xff.
        const upper = prefix.slice()
        upper[upper.length - 1] = ((upper.at(-1) ?? 0) + 1) & 0xff
        entries = entries.filter(([key]) => compareBytes(key, prefix) >= 0 && compareBytes(key, upper) < 0)
      } else {
        entries = entries.filter(
          ([key]) => prefix.every((byte, index) => key[index] === byte) && key.length >= prefix.length,
        )
      }
    }
    if (options.reverse === true) entries.reverse()
    for (const [key, value] of entries.slice(0, options.limit ?? entries.length))
      yield [key.slice(), value.slice()]
  }
}

export type ArchiveBug =
  | 'ties-by-insertion'
  | 'exclusive-end'
  | 'cursor-by-timestamp'
  | 'backward-ascending'
  | 'no-dedup'
  | 'delete-inclusive'
  | 'no-bloom'
  | 'no-validation'

/** go-ethereum's BloomFilterMatch on the topic's bloom; non-v1 topics have none and never match. */
function inBloom(topic: string, bloom: Uint8Array): boolean {
  if (!/^[0-9a-f]{8}$/.test(topic)) return false
  return topicBloom(topic).every((byte, index) => ((bloom[index] ?? 0) & byte) === byte)
}

export class ReferenceMessageArchive implements MessageArchive {
  #messages: ArchivedMessage[] = []
  readonly #bug: ArchiveBug | undefined

  constructor(bug?: ArchiveBug) {
    this.#bug = bug
  }

  async start(options?: AbortOptions) {
    check(options)
  }
  async stop() {}

  #compare = (
    a: { timestamp: bigint; hash: Uint8Array },
    b: { timestamp: bigint; hash: Uint8Array },
  ): number => {
    if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
    return this.#bug === 'ties-by-insertion' || this.#bug === 'cursor-by-timestamp'
      ? 0
      : compareBytes(a.hash, b.hash)
  }

  async insert(messages: readonly ArchivedMessage[], options?: AbortOptions) {
    check(options)
    const int64 = (value: bigint) => value >= -(2n ** 63n) && value < 2n ** 63n
    if (this.#bug !== 'no-validation' && !messages.every((m) => int64(m.timestamp)))
      throw new InvalidParametersError('timestamp out of range')
    let added = 0
    for (const message of messages) {
      if (this.#bug !== 'no-dedup' && this.#messages.some((m) => toHex(m.hash) === toHex(message.hash)))
        continue
      this.#messages.push({ ...message, hash: message.hash.slice(), data: message.data.slice() })
      added += 1
    }
    this.#messages.sort(this.#compare)
    return added
  }

  #validate(query: MessageQuery) {
    if (this.#bug === 'no-validation') return
    const bad =
      (query.from !== undefined && query.to !== undefined && query.from > query.to) ||
      (query.limit !== undefined && !(query.limit >= 0)) ||
      (query.bloom !== undefined && query.bloom.length !== 64)
    if (bad) throw new InvalidParametersError('bad query')
  }

  #matching(query: MessageQuery) {
    this.#validate(query)
    return this.#messages.filter(
      (m) =>
        (query.from === undefined || m.timestamp >= query.from) &&
        (query.to === undefined ||
          (this.#bug === 'exclusive-end' ? m.timestamp < query.to : m.timestamp <= query.to)) &&
        (!query.topics?.length || query.topics.includes(m.topic)) &&
        (query.pubsubTopic === undefined || (m.pubsubTopic ?? '') === query.pubsubTopic) &&
        (query.hashes === undefined || query.hashes.some((hash) => toHex(hash) === toHex(m.hash))) &&
        (query.bloom === undefined || this.#bug === 'no-bloom' || inBloom(m.topic, query.bloom)),
    )
  }

  async query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage> {
    check(options)
    const backward = query.direction === 'backward'
    let found = this.#matching(query)
    const cursor = query.cursor
    if (cursor !== undefined)
      found = found.filter((m) => (backward ? this.#compare(m, cursor) < 0 : this.#compare(m, cursor) > 0))
    if (backward && this.#bug !== 'backward-ascending') found.reverse()
    const limit = Math.min(query.limit || 100, 100)
    const page = backward && this.#bug === 'backward-ascending' ? found.slice(-limit) : found.slice(0, limit)
    const last = page.at(-1)
    return found.length > limit && last !== undefined ? { messages: page, cursor: last } : { messages: page }
  }

  async count(query: MessageQuery = {}, options?: AbortOptions) {
    check(options)
    return this.#matching(query).length
  }

  async deleteOlderThan(before: bigint, options?: AbortOptions) {
    check(options)
    const kept = this.#messages.filter((m) =>
      this.#bug === 'delete-inclusive' ? m.timestamp > before : m.timestamp >= before,
    )
    const deleted = this.#messages.length - kept.length
    this.#messages = kept
    return deleted
  }

  async size(options?: AbortOptions) {
    check(options)
    return this.#messages.reduce((sum, m) => sum + m.data.length, 0)
  }
}
