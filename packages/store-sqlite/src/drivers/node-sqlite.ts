import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import type { SqliteConnection, SqliteDriver, SqliteStatement, SqlValue } from './driver.ts'

/** SQLITE_FULL, as node:sqlite reports it in `errcode`. */
const SQLITE_FULL = 13

function connection(db: DatabaseSync): SqliteConnection {
  return {
    exec: (sql) => db.exec(sql),
    prepare(sql, bigints): SqliteStatement {
      const statement = db.prepare(sql)
      statement.setReadBigInts(bigints)
      // node:sqlite binds Uint8Array, bigint, number, string and null as they are.
      const bind = (parameters: SqlValue[]) => parameters as SQLInputValue[]
      return {
        run: (...parameters) => statement.run(...bind(parameters)),
        get: (...parameters) => statement.get(...bind(parameters)),
        all: (...parameters) => statement.all(...bind(parameters)),
        iterate: (...parameters) => statement.iterate(...bind(parameters)),
      }
    },
    function: (name, implementation) =>
      db.function(name, { deterministic: true }, (...args) => implementation(...args) as SQLInputValue),
    get inTransaction() {
      return db.isTransaction
    },
    close: () => db.close(),
  }
}

/** Node's built-in SQLite (Node ≥ 22.5): nothing to install or build. */
export const nodeSqlite: SqliteDriver = {
  name: 'node:sqlite',
  sqliteVersion: () => process.versions.sqlite ?? 'unknown',
  open: (path, { busyTimeoutMs }) => connection(new DatabaseSync(path, { timeout: busyTimeoutMs })),
  isFull: (error) => (error as { errcode?: unknown } | null)?.errcode === SQLITE_FULL,
}
