import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions } from '@parley/interfaces'
import type { Pool } from 'pg'
import { bytes, prefixEnd, throwIfAborted } from './util.ts'

type Operation = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'delete'; key: Uint8Array }

/** Rows fetched per step of `entries`: bounds memory, and no cursor stays open across an `await`. */
const ENTRIES_CHUNK = 256

/**
 * The key-value half of the PostgreSQL store. bytea compares with memcmp, then by length: exactly
 * unsigned lexicographic byte order, so ordering and prefix ranges come from the primary key.
 */
export class PostgresKeyValues {
  readonly #pool: () => Pool
  readonly #table: string

  constructor(pool: () => Pool, schema: string) {
    this.#pool = pool
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
    await this.#pool().query(this.#putSql(), [key, value])
  }

  async delete(key: Uint8Array, options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    await this.#pool().query(`DELETE FROM ${this.#table} WHERE key = $1`, [key])
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
        const pending = operations.splice(0)
        if (pending.length === 0) return
        const client = await this.#pool().connect()
        try {
          await client.query('BEGIN')
          for (const operation of pending) {
            if (operation.type === 'put') await client.query(this.#putSql(), [operation.key, operation.value])
            else await client.query(`DELETE FROM ${this.#table} WHERE key = $1`, [operation.key])
          }
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {})
          throw error
        } finally {
          client.release()
        }
      },
    }
    return batch
  }

  /** Keyset pagination over the primary key, `ENTRIES_CHUNK` rows per query. */
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
      const values: Uint8Array[] = []
      const bound = (condition: string, value: Uint8Array) => {
        values.push(value)
        conditions.push(`${condition} $${values.length}`)
      }
      if (prefix.length > 0) bound('key >=', prefix)
      if (end !== undefined) bound('key <', end)
      if (after !== undefined) bound(reverse ? 'key <' : 'key >', after)
      const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`
      const { rows } = await this.#pool().query<{ key: Uint8Array; value: Uint8Array }>(
        `SELECT key, value FROM ${this.#table}${where} ORDER BY key ${reverse ? 'DESC' : 'ASC'} LIMIT ${ENTRIES_CHUNK}`,
        values,
      )
      const last = rows.at(-1)
      after = last === undefined ? undefined : bytes(last.key).slice()
      for (const row of rows) {
        if (remaining <= 0) return
        remaining -= 1
        yield [bytes(row.key), bytes(row.value)]
      }
      if (rows.length < ENTRIES_CHUNK) return
    }
  }

  #putSql(): string {
    return `INSERT INTO ${this.#table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`
  }
}
