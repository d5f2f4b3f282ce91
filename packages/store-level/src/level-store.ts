import {
  type AbortOptions,
  type Components,
  InvalidParametersError,
  keyValueStore,
  messageArchive,
  type Plugin,
  StoreFullError,
} from '@parley/interfaces'
import {
  CombinedStore,
  fullStorageGuard,
  positiveInteger,
  StoreConnection,
  throwIfAborted,
} from '@parley/store-utils'
import { ClassicLevel } from 'classic-level'
import { StoreLockedError } from './errors.ts'
import { LevelKeyValues } from './key-value-store.ts'
import { openLayout, storedTopics } from './layout.ts'
import { LevelMessages } from './message-archive.ts'
import type { Level } from './scan.ts'

export interface LevelStoreInit {
  /** the LevelDB directory (created if missing); may be a status-go mailserver's database */
  path: string
  /** the largest page a query returns, and the page size when a query gives none (default 1000) */
  maxPageSize?: number
  /** counts writes refused because the disk is full (`parley_store_write_errors_total`) */
  metrics?: Components['metrics']
}

function settings(init: LevelStoreInit): { path: string; maxPageSize: number } {
  if (typeof init?.path !== 'string' || init.path === '') {
    throw new InvalidParametersError('path must be a directory path')
  }
  return { path: init.path, maxPageSize: positiveInteger(init.maxPageSize ?? 1000, 'maxPageSize') }
}

/**
 * LevelDB reports a failed file write as `IO error: <file>: <strerror>`. Besides a full disk
 * (ENOSPC), a file-size quota (EFBIG, "File too large": RLIMIT_FSIZE, `ulimit -f`) also leaves the
 * store unable to grow, with the write not applied: to the caller both mean the storage is full.
 */
function isDiskFull(error: unknown): boolean {
  const text = `${(error as Error)?.message} ${((error as { cause?: Error })?.cause)?.message ?? ''}`
  return /no space left|ENOSPC|disk full|file too large|EFBIG/i.test(text)
}

function causeCode(error: unknown): unknown {
  return (error as { cause?: { code?: unknown } })?.cause?.code
}

/**
 * A `KeyValueStore` and `MessageArchive` in one LevelDB directory (classic-level), with archived v1
 * envelopes in status-go's mailserver key layout (see keys.ts). LevelDB locks the directory: one
 * open store per directory, in one process.
 */
export class LevelStore extends CombinedStore {
  readonly #settings: { path: string; maxPageSize: number }
  protected readonly keyValues: LevelKeyValues
  protected readonly messages: LevelMessages
  readonly #db: StoreConnection<Level>

  constructor(init: LevelStoreInit) {
    super()
    this.#settings = settings(init)
    // Writes that fail for want of space (LevelDB applied none of the batch) become StoreFullError.
    const write = fullStorageGuard({
      store: 'level',
      metrics: init.metrics,
      isFull: isDiskFull,
      message: `The disk under ${this.#settings.path} is full`,
    })
    // One open at a time: a second ClassicLevel on the directory would hit LevelDB's lock.
    this.#db = new StoreConnection({
      name: 'The LevelDB store',
      open: () => this.#open(),
      close: (db) => db.close(),
    })
    const db = () => this.#db.current()
    this.keyValues = new LevelKeyValues(db, write)
    this.messages = new LevelMessages(db, write, this.#settings.maxPageSize)
  }

  /** Opens (or creates) the directory and indexes status-go records on first open. */
  start(options?: AbortOptions): Promise<void> {
    return this.#db.start(options)
  }

  async #open(): Promise<Level> {
    const db: Level = new ClassicLevel(this.#settings.path, {
      keyEncoding: 'view',
      valueEncoding: 'view',
      // Larger than LevelDB's 4 MiB and 8 MiB defaults: fewer level-0 compactions while ingesting,
      // and index blocks for a million-envelope archive stay cached.
      writeBufferSize: 16 * 1024 * 1024,
      cacheSize: 32 * 1024 * 1024,
    })
    try {
      await db.open()
    } catch (error) {
      if (causeCode(error) === 'LEVEL_LOCKED') {
        throw new StoreLockedError(`The LevelDB directory ${this.#settings.path} is in use`, { cause: error })
      }
      // Opening writes a new log and manifest: on a full disk it fails until space is freed.
      if (isDiskFull(error)) {
        throw new StoreFullError(`The disk under ${this.#settings.path} is full`, { cause: error })
      }
      throw error
    }
    try {
      this.messages.load(await openLayout(db), await storedTopics(db))
    } catch (error) {
      await db.close()
      throw error
    }
    return db
  }

  stop(): Promise<void> {
    return this.#db.stop()
  }

  isStarted(): boolean {
    return this.#db.isStarted()
  }

  /**
   * Compacts the whole database (LevelDB's CompactRange): reclaims the space of deleted entries and
   * settles a bulk import, which otherwise compacts in the background while queries run.
   */
  async compact(options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    await this.#db.current().compactRange(new Uint8Array(0), Uint8Array.of(0xff, 0xff, 0xff, 0xff))
  }
}

/**
 * The LevelDB store plugin: `createNode({ store: levelStore({ path: 'mailserver-data' }) })`.
 * Provides `keyValueStore` and `messageArchive`.
 */
export function levelStore(init: LevelStoreInit): Plugin<LevelStore> {
  settings(init)
  return {
    name: 'store-level',
    provides: [keyValueStore, messageArchive],
    create: (components) => new LevelStore({ metrics: components.metrics, ...init }),
  }
}
