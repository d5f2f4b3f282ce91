/**
 * The few calls the store makes on a SQLite connection. Both drivers run the same SQL through it:
 * Node's built-in `node:sqlite` and the optional `better-sqlite3` addon.
 */

/** What a statement binds: SQLite's storage classes as JavaScript values. */
export type SqlValue = null | number | bigint | string | Uint8Array

export type SqlRow = Record<string, unknown>

export interface SqliteStatement {
  run(...parameters: SqlValue[]): { changes: number | bigint }
  get(...parameters: SqlValue[]): SqlRow | undefined
  all(...parameters: SqlValue[]): SqlRow[]
  iterate(...parameters: SqlValue[]): IterableIterator<SqlRow>
}

export interface SqliteConnection {
  /** runs one or more statements that return no rows */
  exec(sql: string): void
  /** `bigints` reads every integer column as a bigint (timestamps); otherwise as a number */
  prepare(sql: string, bigints: boolean): SqliteStatement
  /** registers a deterministic scalar function; BLOB arguments arrive as `Uint8Array` */
  function(name: string, implementation: (...args: unknown[]) => SqlValue): void
  /** whether a transaction is open (a failed COMMIT may have ended it already) */
  readonly inTransaction: boolean
  close(): void
}

export interface SqliteDriver {
  name: SqliteDriverName
  /** the SQLite library version the driver runs (`sqlite_version()`) */
  sqliteVersion(): string
  open(path: string, options: { busyTimeoutMs: number }): SqliteConnection
  /** whether `error` is SQLITE_FULL (disk full, or `max_page_count` reached) */
  isFull(error: unknown): boolean
}

export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3'

/** `auto` takes `better-sqlite3` when it loads here, else `node:sqlite`. */
export type SqliteDriverChoice = 'auto' | SqliteDriverName

export const SQLITE_DRIVER_CHOICES: readonly SqliteDriverChoice[] = ['auto', 'node:sqlite', 'better-sqlite3']
