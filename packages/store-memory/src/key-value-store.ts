import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions, KeyValueStore } from '@parley/interfaces'
import { compareBytes, type KeyValueOperation, recordingBatch, throwIfAborted } from '@parley/store-utils'
import { partitionPoint, toHex } from './util.ts'

/**
 * A `KeyValueStore` in memory: a hash map for lookups plus a sorted key array for ordered and
 * prefix iteration (binary search, so a prefix scan costs log n plus the keys it yields). Keys and
 * values are copied in and out, so callers may reuse their buffers. Data survives stop/start.
 */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, Uint8Array>()
  /** every stored key, in unsigned byte order */
  #keys: Uint8Array[] = []
  #started = false

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

  /** Number of stored keys. */
  get size(): number {
    return this.#values.size
  }

  async get(key: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options)
    return this.#values.get(toHex(key))?.slice()
  }

  async has(key: Uint8Array, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options)
    return this.#values.has(toHex(key))
  }

  async put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    this.#apply({ type: 'put', key: key.slice(), value: value.slice() })
  }

  async delete(key: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    this.#apply({ type: 'delete', key })
  }

  batch(): KeyValueBatch {
    // Nothing in `#apply` awaits: once the signal is checked, the batch lands whole.
    return recordingBatch((operations) => {
      for (const operation of operations) this.#apply(operation)
    })
  }

  async *entries(options: KeyValueEntriesOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    throwIfAborted(options)
    const prefix = options.prefix ?? new Uint8Array(0)
    const first = partitionPoint(this.#keys, (key) => compareBytes(key, prefix) >= 0)
    // Keys starting with `prefix` are contiguous: they end where a key's leading bytes exceed it.
    const end = partitionPoint(this.#keys, (key) => compareBytes(key.subarray(0, prefix.length), prefix) > 0)
    const keys = this.#keys.slice(first, end) // a snapshot: writes during iteration do not disturb it
    if (options.reverse === true) keys.reverse()
    const limit = options.limit ?? Number.POSITIVE_INFINITY
    let yielded = 0
    for (const key of keys) {
      if (yielded >= limit) return
      throwIfAborted(options)
      const value = this.#values.get(toHex(key))
      if (value === undefined) continue // deleted since the snapshot
      yielded += 1
      yield [key.slice(), value.slice()]
    }
  }

  /** Applies one write; put operations hand over buffers nobody else holds. */
  #apply(operation: KeyValueOperation): void {
    const id = toHex(operation.key)
    if (operation.type === 'put') {
      if (!this.#values.has(id)) {
        const key = operation.key
        this.#keys.splice(
          partitionPoint(this.#keys, (stored) => compareBytes(stored, key) > 0),
          0,
          key,
        )
      }
      this.#values.set(id, operation.value)
    } else if (this.#values.delete(id)) {
      const index = partitionPoint(this.#keys, (stored) => compareBytes(stored, operation.key) >= 0)
      this.#keys.splice(index, 1)
    }
  }
}
