import { InvalidParametersError, UnsupportedError } from '@parley/interfaces'
import { loadBetterSqlite3 } from './better-sqlite3.ts'
import { SQLITE_DRIVER_CHOICES, type SqliteDriver, type SqliteDriverChoice } from './driver.ts'
import { nodeSqlite } from './node-sqlite.ts'

export type {
  SqliteConnection,
  SqliteDriver,
  SqliteDriverChoice,
  SqliteDriverName,
  SqliteStatement,
  SqlRow,
  SqlValue,
} from './driver.ts'

/** Whether `better-sqlite3` loads in this process, and why not when it does not. */
export function betterSqlite3Availability(): { available: true } | { available: false; reason: string } {
  const loaded = loadBetterSqlite3()
  return 'driver' in loaded ? { available: true } : { available: false, reason: loaded.reason }
}

export function checkDriverChoice(choice: unknown): SqliteDriverChoice {
  if (!SQLITE_DRIVER_CHOICES.includes(choice as SqliteDriverChoice)) {
    throw new InvalidParametersError(
      `driver must be one of ${SQLITE_DRIVER_CHOICES.join(', ')}, got ${JSON.stringify(choice)}`,
    )
  }
  return choice as SqliteDriverChoice
}

/** The driver for `choice`; `better-sqlite3` asked for by name and absent is an error, not a fallback. */
export function resolveDriver(choice: SqliteDriverChoice): SqliteDriver {
  if (choice === 'node:sqlite') return nodeSqlite
  const loaded = loadBetterSqlite3()
  if ('driver' in loaded) return loaded.driver
  if (choice === 'auto') return nodeSqlite
  throw new UnsupportedError(`The better-sqlite3 driver does not load here: ${loaded.reason}`)
}
