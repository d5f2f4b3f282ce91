import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions } from '@parley/interfaces'
import {
  type KeyRange,
  keysetEntries,
  recordingBatch,
  throwIfAborted,
  type WriteGuard,
} from '@parley/store-utils'
import type { Database } from './database.ts'

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
  readonly #write: WriteGuard

  /** `database` returns the open connection or throws; `write` wraps writes (SQLITE_FULL translation). */
  constructor(database: () => Database, write: WriteGuard) {
    this.#database = database
    this.#write = write
  }

  async get(key: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options)
    const row = this.#database().statement(GET).get(key)
    return row === undefined ? undefined : (row.value as Uint8Array)
  }

  async has(key: Uint8Array, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options)
    return this.#database().statement(HAS).get(key) !== undefined
  }

  async put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    await this.#write(() => this.#database().statement(PUT).run(key, value))
  }

  async delete(key: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    await this.#write(() => this.#database().statement(DELETE).run(key))
  }

  batch(): KeyValueBatch {
    return recordingBatch(async (operations) => {
      const database = this.#database()
      await this.#write(() =>
        database.transaction(() => {
          const put = database.statement(PUT)
          const remove = database.statement(DELETE)
          for (const operation of operations) {
            if (operation.type === 'put') put.run(operation.key, operation.value)
            else remove.run(operation.key)
          }
        }),
      )
    })
  }

  /** Keyset pagination over the primary key, `ENTRIES_CHUNK` rows per statement. */
  entries(options: KeyValueEntriesOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    return keysetEntries(options, ENTRIES_CHUNK, (range, limit) => this.#chunk(range, limit))
  }

  #chunk(range: KeyRange, limit: number): [Uint8Array, Uint8Array][] {
    const conditions: string[] = []
    const parameters: Uint8Array[] = []
    const bound = (condition: string, key: Uint8Array) => {
      conditions.push(condition)
      parameters.push(key)
    }
    if (range.from !== undefined) bound('key >= ?', range.from)
    if (range.to !== undefined) bound('key < ?', range.to)
    if (range.after !== undefined) bound(range.reverse ? 'key < ?' : 'key > ?', range.after)
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`
    const sql = `SELECT key, value FROM kv${where} ORDER BY key ${range.reverse ? 'DESC' : 'ASC'} LIMIT ${limit}`
    return this.#database()
      .statement(sql)
      .all(...parameters)
      .map((row) => [row.key as Uint8Array, row.value as Uint8Array])
  }
}
