import {
  type AbortOptions,
  type Components,
  InvalidParametersError,
  keyValueStore,
  messageArchive,
  type Plugin,
} from '@parley/interfaces'
import { CombinedStore, fullStorageGuard, positiveInteger, StoreConnection } from '@parley/store-utils'
import pg from 'pg'
import { PostgresKeyValues } from './key-value-store.ts'
import { PostgresMessages } from './message-archive.ts'
import { migrate, quoteIdentifier } from './migrations.ts'

export interface PostgresStoreInit {
  /** a connection URL, `postgres://user:password@host:port/database` */
  url: string
  /** the schema holding this store's tables, created if missing (default `public`); stores sharing a database may use one each */
  schema?: string
  /** the largest page a query returns, and the page size when a query gives none (default 1000) */
  maxPageSize?: number
  /** connections in the pool (default 10) */
  poolSize?: number
  /** counts writes refused because the server's disk is full (`parley_store_write_errors_total`) */
  metrics?: Components['metrics']
}

interface Settings {
  url: string
  schema: string
  maxPageSize: number
  poolSize: number
}

function settings(init: PostgresStoreInit): Settings {
  if (typeof init?.url !== 'string' || !/^postgres(ql)?:\/\//.test(init.url)) {
    throw new InvalidParametersError('url must be a postgres:// or postgresql:// URL')
  }
  const schema = init.schema ?? 'public'
  if (typeof schema !== 'string' || schema === '' || schema.length > 63) {
    throw new InvalidParametersError(`schema must be a name of 1 to 63 characters, got ${schema}`)
  }
  return {
    url: init.url,
    schema,
    maxPageSize: positiveInteger(init.maxPageSize ?? 1000, 'maxPageSize'),
    poolSize: positiveInteger(init.poolSize ?? 10, 'poolSize'),
  }
}

/** SQLSTATE disk_full. */
const DISK_FULL = '53100'

/**
 * A `KeyValueStore` and `MessageArchive` in PostgreSQL tables (`kv`, `messages`) of one schema,
 * through a connection pool. Several nodes (mailservers, store nodes) may share one database and
 * schema: writes dedup by hash in the database, and `start` migrates under an advisory lock.
 */
export class PostgresStore extends CombinedStore {
  readonly #settings: Settings
  protected readonly keyValues: PostgresKeyValues
  protected readonly messages: PostgresMessages
  readonly #pool: StoreConnection<pg.Pool>

  constructor(init: PostgresStoreInit) {
    super()
    this.#settings = settings(init)
    // Writes that fail for want of disk (disk_full: the statement was rolled back) become StoreFullError.
    const write = fullStorageGuard({
      store: 'postgres',
      metrics: init.metrics,
      isFull: (error) => (error as { code?: unknown }).code === DISK_FULL,
      message: 'The PostgreSQL server is out of disk space',
    })
    this.#pool = new StoreConnection({
      name: 'The PostgreSQL store',
      open: () => this.#open(),
      close: (pool) => pool.end(),
    })
    const pool = () => this.#pool.current()
    const schema = quoteIdentifier(this.#settings.schema)
    this.keyValues = new PostgresKeyValues(pool, write, schema)
    this.messages = new PostgresMessages(pool, write, schema, this.#settings.maxPageSize)
  }

  /** Connects and applies pending migrations; throws `SchemaVersionError` if the schema is too new. */
  start(options?: AbortOptions): Promise<void> {
    return this.#pool.start(options)
  }

  async #open(): Promise<pg.Pool> {
    const pool = new pg.Pool({ connectionString: this.#settings.url, max: this.#settings.poolSize })
    // An idle client losing its connection (a server restart) emits here; the pool replaces it.
    pool.on('error', () => {})
    try {
      await migrate(pool, this.#settings.schema)
    } catch (error) {
      await pool.end()
      throw error
    }
    return pool
  }

  stop(): Promise<void> {
    return this.#pool.stop()
  }

  isStarted(): boolean {
    return this.#pool.isStarted()
  }
}

/**
 * The PostgreSQL store plugin: `createNode({ store: postgresStore({ url: 'postgres://…' }) })`.
 * Provides `keyValueStore` and `messageArchive`; connects in `start`, not in `create`.
 */
export function postgresStore(init: PostgresStoreInit): Plugin<PostgresStore> {
  settings(init)
  return {
    name: 'store-postgres',
    provides: [keyValueStore, messageArchive],
    create: (components) => new PostgresStore({ metrics: components.metrics, ...init }),
  }
}
