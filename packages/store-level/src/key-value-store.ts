import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions } from '@parley/interfaces'
import { prefixEnd, recordingBatch, throwIfAborted, type WriteGuard } from '@parley/store-utils'
import { ownKey, SPACE, spaceEnd } from './keys.ts'
import type { Level } from './scan.ts'
import { plain } from './util.ts'

const ENTRIES_CHUNK = 256
const keyOf = (key: Uint8Array): Uint8Array => ownKey(SPACE.keyValue, key)

/**
 * The key-value half of the LevelDB store: every key under `ffff 'k'`. LevelDB orders keys
 * bytewise (unsigned), so order and prefix ranges come straight from the iterator.
 */
export class LevelKeyValues {
  readonly #db: () => Level
  readonly #write: WriteGuard

  /** `db` returns the open database or throws; `write` wraps writes (disk-full translation). */
  constructor(db: () => Level, write: WriteGuard) {
    this.#db = db
    this.#write = write
  }

  async get(key: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options)
    const value = await this.#db().get(keyOf(key))
    return value === undefined ? undefined : plain(value)
  }

  async has(key: Uint8Array, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options)
    return this.#db().has(keyOf(key))
  }

  async put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    const db = this.#db()
    await this.#write(() => db.put(keyOf(key), value.slice()))
  }

  async delete(key: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    const db = this.#db()
    await this.#write(() => db.del(keyOf(key)))
  }

  batch(): KeyValueBatch {
    return recordingBatch(async (operations) => {
      const db = this.#db()
      const writes = operations.map((operation) =>
        operation.type === 'put'
          ? { type: 'put' as const, key: keyOf(operation.key), value: operation.value }
          : { type: 'del' as const, key: keyOf(operation.key) },
      )
      // One LevelDB write batch: applied in order, atomically.
      await this.#write(() => db.batch(writes))
    })
  }

  async *entries(options: KeyValueEntriesOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    throwIfAborted(options)
    const limit = options.limit ?? Number.POSITIVE_INFINITY
    if (!(limit > 0)) return
    const prefix = options.prefix ?? new Uint8Array(0)
    const end = prefixEnd(prefix)
    const iterator = this.#db().iterator({
      gte: keyOf(prefix),
      lt: end === undefined ? spaceEnd(SPACE.keyValue) : keyOf(end),
      reverse: options.reverse === true,
      ...(Number.isFinite(limit) ? { limit: Math.floor(limit) } : {}),
    })
    try {
      for (;;) {
        throwIfAborted(options)
        const entries = await iterator.nextv(ENTRIES_CHUNK)
        if (entries.length === 0) return
        for (const [key, value] of entries) yield [plain(key).subarray(3), plain(value)]
      }
    } finally {
      await iterator.close()
    }
  }
}
