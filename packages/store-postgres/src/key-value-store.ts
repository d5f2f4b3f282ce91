import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions } from '@parley/interfaces'
import {
  type KeyRange,
  type KeyValueOperation,
  keysetEntries,
  recordingBatch,
  throwIfAborted,
  type WriteGuard,
} from '@parley/store-utils'
import type { Pool } from 'pg'
import { bytes, transaction } from './util.ts'

/** Rows fetched per step of `entries`: bounds memory, and no cursor stays open across an `await`. */
const ENTRIES_CHUNK = 256

/**
 * The key-value half of the PostgreSQL store. bytea compares with memcmp, then by length: exactly
 * unsigned lexicographic byte order, so ordering and prefix ranges come from the primary key.
 */
export class PostgresKeyValues {
  readonly #pool: () => Pool
  readonly #write: WriteGuard
  readonly #table: string

  /** `pool` returns the open pool or throws; `write` wraps writes (disk_full translation). */
  constructor(pool: () => Pool, write: WriteGuard, schema: string) {
    this.#pool = pool
    this.#write = write
    this.#table = `${schema}.kv`
  }

  async get(key: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options)
    const { rows } = await this.#pool().query<{ value: Uint8Array }>(
      `SELECT value FROM ${this.#table} WHERE key = $1`,
      [key],
    )
    return rows[0] === undefined ? undefined : bytes(rows[0].value)
  }

  async has(key: Uint8Array, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options)
    const { rowCount } = await this.#pool().query(`SELECT 1 FROM ${this.#table} WHERE key = $1`, [key])
    return (rowCount ?? 0) > 0
  }

  async put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    await this.#write(() => this.#pool().query(this.#putSql(), [key, value]))
  }

  async delete(key: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    await this.#write(() => this.#pool().query(`DELETE FROM ${this.#table} WHERE key = $1`, [key]))
  }

  batch(): KeyValueBatch {
    return recordingBatch((operations) => this.#write(() => this.#commit(operations)))
  }

  /** One transaction on one pooled connection: all of the writes or none. */
  async #commit(operations: readonly KeyValueOperation[]): Promise<void> {
    if (operations.length === 0) return
    await transaction(this.#pool(), async (client) => {
      for (const operation of operations) {
        if (operation.type === 'put') await client.query(this.#putSql(), [operation.key, operation.value])
        else await client.query(`DELETE FROM ${this.#table} WHERE key = $1`, [operation.key])
      }
    })
  }

  /** Keyset pagination over the primary key, `ENTRIES_CHUNK` rows per query. */
  entries(options: KeyValueEntriesOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    return keysetEntries(options, ENTRIES_CHUNK, (range, limit) => this.#chunk(range, limit))
  }

  async #chunk(range: KeyRange, limit: number): Promise<[Uint8Array, Uint8Array][]> {
    const conditions: string[] = []
    const values: Uint8Array[] = []
    const bound = (condition: string, key: Uint8Array) => {
      values.push(key)
      conditions.push(`${condition} $${values.length}`)
    }
    if (range.from !== undefined) bound('key >=', range.from)
    if (range.to !== undefined) bound('key <', range.to)
    if (range.after !== undefined) bound(range.reverse ? 'key <' : 'key >', range.after)
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`
    const { rows } = await this.#pool().query<{ key: Uint8Array; value: Uint8Array }>(
      `SELECT key, value FROM ${this.#table}${where} ORDER BY key ${range.reverse ? 'DESC' : 'ASC'} LIMIT ${limit}`,
      values,
    )
    return rows.map((row) => [bytes(row.key), bytes(row.value)])
  }

  #putSql(): string {
    return `INSERT INTO ${this.#table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`
  }
}
