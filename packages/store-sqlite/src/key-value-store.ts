import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions } from '@parley/interfaces'
import type { Database } from './database.ts'
import { prefixEnd, throwIfAborted } from './util.ts'

type Operation = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'delete'; key: Uint8Array }

/** Rows fetched per step of `entries`: bounds memory, and no statement stays open across an `await`. */
const ENTRIES_CHUNK = 256

const GET = 'SELECT value FROM kv WHERE key = ?'
const HAS = 'SELECT 1 AS found FROM kv WHERE key = ?'
const PUT = 'INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)'
const DELETE = 'DELETE FROM kv WHERE key = ?'

/**
 * The key-value half of the SQLite store. BLOB keys compare with memcmp, then by length, which is
 * exactly unsigned lexicographic byte order, so ordering and prefix ranges come from the primary key.
 */
export class SqliteKeyValues {
  readonly #database: () => Database

  /** `database` returns the open connection, or throws when the store is not started. */
  constructor(database: () => Database) {
    this.#database = database
  }

  get(key: Uint8Array, options?: AbortOptions): Uint8Array | undefined {
    throwIfAborted(options)
    const row = this.#database().statement(GET).get(key)
    return row === undefined ? undefined : (row.value as Uint8Array)
  }

  has(key: Uint8Array, options?: AbortOptions): boolean {
    throwIfAborted(options)
    return this.#database().statement(HAS).get(key) !== undefined
  }

  put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): void {
    throwIfAborted(options)
    this.#database().statement(PUT).run(key, value)
  }

  delete(key: Uint8Array, options?: AbortOptions): void {
    throwIfAborted(options)
    this.#database().statement(DELETE).run(key)
  }

  batch(): KeyValueBatch {
    const operations: Operation[] = []
    const batch: KeyValueBatch = {
      put: (key, value) => {
        operations.push({ type: 'put', key: key.slice(), value: value.slice() })
        return batch
      },
      delete: (key) => {
        operations.push({ type: 'delete', key: key.slice() })
        return batch
      },
      commit: async (options) => {
        throwIfAborted(options)
        const database = this.#database()
        const pending = operations.splice(0)
        database.transaction(() => {
          const put = database.statement(PUT)
          const remove = database.statement(DELETE)
          for (const operation of pending) {
            if (operation.type === 'put') put.run(operation.key, operation.value)
            else remove.run(operation.key)
          }
        })
      },
    }
    return batch
  }

  /**
   * Keyset pagination over the primary key: each chunk starts after the last key yielded, so a
   * scan costs what it yields, and writes made while iterating show up if they land ahead of it.
   */
  async *entries(options: KeyValueEntriesOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    throwIfAborted(options)
    let remaining = options.limit ?? Number.POSITIVE_INFINITY
    if (!(remaining > 0)) return
    const reverse = options.reverse === true
    const prefix = options.prefix ?? new Uint8Array(0)
    const end = prefixEnd(prefix)
    let after: Uint8Array | undefined
    while (remaining > 0) {
      throwIfAborted(options)
      const conditions: string[] = []
      const parameters: Uint8Array[] = []
      if (prefix.length > 0) {
        conditions.push('key >= ?')
        parameters.push(prefix)
      }
      if (end !== undefined) {
        conditions.push('key < ?')
        parameters.push(end)
      }
      if (after !== undefined) {
        conditions.push(reverse ? 'key < ?' : 'key > ?')
        parameters.push(after)
      }
      const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`
      const sql = `SELECT key, value FROM kv${where} ORDER BY key ${reverse ? 'DESC' : 'ASC'} LIMIT ${ENTRIES_CHUNK}`
      const rows = this.#database()
        .statement(sql)
        .all(...parameters)
      // Copied before yielding: the caller owns (and may change) the keys it is handed.
      const last = rows.at(-1)?.key as Uint8Array | undefined
      after = last?.slice()
      for (const row of rows) {
        if (remaining <= 0) return
        remaining -= 1
        yield [row.key as Uint8Array, row.value as Uint8Array]
      }
      if (rows.length < ENTRIES_CHUNK) return
    }
  }
}
