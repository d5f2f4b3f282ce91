import { createRequire } from 'node:module'
import type { SqliteConnection, SqliteDriver, SqliteStatement, SqlRow, SqlValue } from './driver.ts'

/** The part of better-sqlite3's API the driver uses (the package ships no type declarations). */
interface BetterStatement {
  run(...parameters: SqlValue[]): { changes: number }
  get(...parameters: SqlValue[]): SqlRow | undefined
  all(...parameters: SqlValue[]): SqlRow[]
  iterate(...parameters: SqlValue[]): IterableIterator<SqlRow>
  safeIntegers(enabled: boolean): BetterStatement
}

interface BetterDatabase {
  exec(sql: string): void
  prepare(sql: string): BetterStatement
  function(
    name: string,
    options: { deterministic: boolean },
    implementation: (...args: unknown[]) => unknown,
  ): void
  readonly inTransaction: boolean
  close(): void
}

type BetterConstructor = new (path: string, options: { timeout: number }) => BetterDatabase

/**
 * BLOBs come back as Buffers; the store hands out plain Uint8Arrays (as node:sqlite does), so that
 * `slice` copies and `toString` behaves the same whichever driver runs. A view, not a copy.
 */
function plainRow(row: SqlRow): SqlRow {
  for (const column in row) {
    const value = row[column]
    if (Buffer.isBuffer(value)) row[column] = new Uint8Array(value.buffer, value.byteOffset, value.length)
  }
  return row
}

function* plainRows(rows: Iterator<SqlRow>): Generator<SqlRow> {
  // `for…of` over the wrapper calls `return` here when it stops early, which closes better-sqlite3's
  // iterator: an open one keeps the connection busy.
  try {
    for (let next = rows.next(); next.done !== true; next = rows.next()) yield plainRow(next.value)
  } finally {
    rows.return?.()
  }
}

function connection(db: BetterDatabase): SqliteConnection {
  return {
    exec: (sql) => db.exec(sql),
    prepare(sql, bigints): SqliteStatement {
      const statement = db.prepare(sql)
      statement.safeIntegers(bigints)
      return {
        run: (...parameters) => statement.run(...parameters),
        get: (...parameters) => {
          const row = statement.get(...parameters)
          return row === undefined ? undefined : plainRow(row)
        },
        all: (...parameters) => statement.all(...parameters).map(plainRow),
        iterate: (...parameters) => plainRows(statement.iterate(...parameters)),
      }
    },
    function: (name, implementation) => db.function(name, { deterministic: true }, implementation),
    get inTransaction() {
      return db.inTransaction
    },
    close: () => db.close(),
  }
}

let loaded: { driver: SqliteDriver } | { reason: string } | undefined

/**
 * The better-sqlite3 driver, or why it cannot load here (not installed, no prebuilt binary for this
 * platform). Loaded once, synchronously: opening a store stays synchronous.
 */
export function loadBetterSqlite3(): { driver: SqliteDriver } | { reason: string } {
  if (loaded !== undefined) return loaded
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as BetterConstructor
    const probe = new Database(':memory:', { timeout: 0 })
    const version = String(probe.prepare('SELECT sqlite_version() AS version').get()?.version)
    probe.close()
    loaded = {
      driver: {
        name: 'better-sqlite3',
        sqliteVersion: () => version,
        open: (path, { busyTimeoutMs }) => connection(new Database(path, { timeout: busyTimeoutMs })),
        isFull: (error) => (error as { code?: unknown } | null)?.code === 'SQLITE_FULL',
      },
    }
  } catch (error) {
    loaded = { reason: error instanceof Error ? error.message : String(error) }
  }
  return loaded
}
