import {
  type AbortOptions,
  type Components,
  InvalidParametersError,
  keyValueStore,
  messageArchive,
  type Plugin,
} from '@parley/interfaces'
import { CombinedStore, fullStorageGuard, positiveInteger, StoreConnection } from '@parley/store-utils'
import { Database } from './database.ts'
import {
  checkDriverChoice,
  resolveDriver,
  type SqliteDriver,
  type SqliteDriverChoice,
  type SqliteDriverName,
} from './drivers/index.ts'
import { SqliteKeyValues } from './key-value-store.ts'
import { SqliteMessages } from './message-archive.ts'

export interface SqliteStoreInit {
  /** database file (created if missing), or ':memory:' for a private database that `stop` discards */
  path: string
  /** the largest page a query returns, and the page size when a query gives none (default 1000) */
  maxPageSize?: number
  /** how long a write waits for another connection's lock, in ms (default 5000) */
  busyTimeoutMs?: number
  /** a quota: the file stops growing at about this many bytes, and writes past it fail with `StoreFullError` */
  maxBytes?: number
  /**
   * how much of the database file reads map into memory (SQLite's `mmap_size`), default 1 GiB; 0
   * turns mapping off. Mapping saves a system call and a copy per page read, but an I/O error on a
   * mapped page ends the process (SIGBUS) instead of failing the read.
   */
  mmapBytes?: number
  /** counts writes refused because the storage is full (`parley_store_write_errors_total`) */
  metrics?: Components['metrics']
  /**
   * the SQLite library that runs the SQL (the same SQL on either): `node:sqlite` (default, built
   * in), `better-sqlite3` (the optional dependency; `UnsupportedError` if it does not load), or
   * `auto` (better-sqlite3 when it loads, else node:sqlite)
   */
  driver?: SqliteDriverChoice
}

interface Settings {
  path: string
  maxPageSize: number
  busyTimeoutMs: number
  maxBytes?: number
  mmapBytes: number
  driver: SqliteDriver
}

const DEFAULT_MMAP_BYTES = 2 ** 30

function nonNegativeInteger(value: number, name: string): number {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new InvalidParametersError(`${name} must be a non-negative integer, got ${value}`)
  }
  return value
}

function settings(init: SqliteStoreInit): Settings {
  if (typeof init?.path !== 'string' || init.path === '') {
    throw new InvalidParametersError("path must be a file path or ':memory:'")
  }
  const busyTimeoutMs = nonNegativeInteger(init.busyTimeoutMs ?? 5000, 'busyTimeoutMs')
  const result: Settings = {
    path: init.path,
    maxPageSize: positiveInteger(init.maxPageSize ?? 1000, 'maxPageSize'),
    busyTimeoutMs,
    mmapBytes: nonNegativeInteger(init.mmapBytes ?? DEFAULT_MMAP_BYTES, 'mmapBytes'),
    driver: resolveDriver(checkDriverChoice(init.driver ?? 'node:sqlite')),
  }
  if (init.maxBytes !== undefined) result.maxBytes = positiveInteger(init.maxBytes, 'maxBytes')
  return result
}

/**
 * A `KeyValueStore` and `MessageArchive` in one SQLite database (Node's built-in `node:sqlite`, or
 * `better-sqlite3` when the `driver` option asks for it).
 * `start` opens the file and migrates its schema; `stop` closes it. Calls are synchronous under the
 * hood, so each write (a batch, an insert) is one transaction that no other call can interleave with.
 */
export class SqliteStore extends CombinedStore {
  readonly #settings: Settings
  protected readonly keyValues: SqliteKeyValues
  protected readonly messages: SqliteMessages
  readonly #database: StoreConnection<Database>

  constructor(init: SqliteStoreInit) {
    super()
    this.#settings = settings(init)
    const driver = this.#settings.driver
    // Writes that fail for want of space (SQLITE_FULL: already rolled back) become StoreFullError.
    const write = fullStorageGuard({
      store: 'sqlite',
      metrics: init.metrics,
      isFull: (error) => driver.isFull(error),
      message: `The SQLite store ${this.#settings.path} is full`,
    })
    this.#database = new StoreConnection({
      name: 'The SQLite store',
      open: () => new Database(this.#settings),
      close: (database) => database.close(),
    })
    const database = () => this.#database.current()
    this.keyValues = new SqliteKeyValues(database, write)
    this.messages = new SqliteMessages(database, write, this.#settings.maxPageSize)
  }

  /** The SQLite library this store runs on (what `driver: 'auto'` chose). */
  get driver(): SqliteDriverName {
    return this.#settings.driver.name
  }

  /** Opens the database and applies pending migrations; throws `SchemaVersionError` if it is too new. */
  start(options?: AbortOptions): Promise<void> {
    return this.#database.start(options)
  }

  stop(): Promise<void> {
    return this.#database.stop()
  }

  isStarted(): boolean {
    return this.#database.isStarted()
  }
}

/**
 * The default store plugin: `createNode({ store: sqliteStore({ path: 'node.db' }) })`. Provides
 * `keyValueStore` and `messageArchive`, both in one database file.
 */
export function sqliteStore(init: SqliteStoreInit): Plugin<SqliteStore> {
  // Validate now, so a bad option fails where it is written rather than at node start.
  settings(init)
  return {
    name: 'store-sqlite',
    provides: [keyValueStore, messageArchive],
    create: (components) => new SqliteStore({ metrics: components.metrics, ...init }),
  }
}
