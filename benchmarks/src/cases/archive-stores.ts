/**
 * The stores the archive cases measure, each opened empty in a place of its own: SQLite on both
 * drivers and LevelDB in a temporary directory, PostgreSQL in a schema of its own on the server of
 * `PARLEY_TEST_POSTGRES_URL`, or else on a throwaway cluster started the way the store-postgres
 * tests start one. Stores load lazily, so listing cases opens nothing.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { MessageArchive, Startable } from '@parley/interfaces'

export interface OpenedArchive {
  archive: MessageArchive
  /** after the fill, before anything is timed (LevelDB compacts its bulk import here) */
  settle?(): Promise<void>
  /** stops the store and removes what it wrote */
  close(): Promise<void>
}

export interface ArchiveStoreKind {
  /** the `<store>` of `archive-ingest/<store>` */
  id: string
  /** what runs, for the report */
  provider: string
  /** whether the ingest target (stated for SQLite) applies */
  sqlite: boolean
  open(): Promise<OpenedArchive>
}

type Store = MessageArchive & Startable

/** A store on a fresh temporary directory, removed (with everything in it) on close. */
async function inTempDir(
  prefix: string,
  make: (dir: string) => Store | Promise<Store>,
): Promise<OpenedArchive> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    const store = await make(dir)
    await store.start()
    return {
      archive: store,
      close: async () => {
        await store.stop()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

function sqliteKind(driver: 'node:sqlite' | 'better-sqlite3'): ArchiveStoreKind {
  return {
    id: driver.replace(':', '-'),
    provider: `SQLite on ${driver} (WAL, synchronous=NORMAL, a file)`,
    sqlite: true,
    open: () =>
      inTempDir('parley-bench-sqlite-', async (dir) => {
        const { SqliteStore } = await import('@parley/store-sqlite')
        return new SqliteStore({ path: join(dir, 'archive.db'), driver })
      }),
  }
}

const level: ArchiveStoreKind = {
  id: 'level',
  provider: 'LevelDB (classic-level, compacted after the fill)',
  sqlite: false,
  open: async () => {
    const { LevelStore } = await import('@parley/store-level')
    let store: InstanceType<typeof LevelStore> | undefined
    const opened = await inTempDir('parley-bench-level-', (dir) => {
      store = new LevelStore({ path: join(dir, 'db') })
      return store
    })
    return { ...opened, settle: () => (store as InstanceType<typeof LevelStore>).compact() }
  },
}

/** The directory holding `initdb` and `postgres`, as the store-postgres test helper finds it. */
function postgresBinaries(): string | undefined {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').map((version) => join('/usr/lib/postgresql', version, 'bin'))
    : []
  return [...(process.env.PATH ?? '').split(delimiter), ...debian].find(
    (dir) => dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
  )
}

interface Server {
  url: string
  stop(): Promise<void>
}

/** store-postgres's test helper (TypeScript, which Node 24 runs as is): reused, not copied. */
async function throwawayCluster(): Promise<Server> {
  const helper = new URL('../../../packages/store-postgres/test/server.ts', import.meta.url)
  const { startCluster } = (await import(helper.href)) as {
    startCluster(options: { durable: boolean }): Promise<Server>
  }
  // Default durability (fsync on), unlike the tests' cluster: this is what a deployment runs.
  return startCluster({ durable: true })
}

/** Drops the benchmark's schema with the store's own `pg`: on a shared server nothing is left behind. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const require = createRequire(new URL('../../../packages/store-postgres/package.json', import.meta.url))
  const pg = require('pg') as {
    Client: new (config: {
      connectionString: string
    }) => {
      connect(): Promise<void>
      query(sql: string): Promise<unknown>
      end(): Promise<void>
    }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

function postgresKind(given: string | undefined): ArchiveStoreKind {
  return {
    id: 'postgres',
    provider: given
      ? 'PostgreSQL (pg, a pool of 10) on PARLEY_TEST_POSTGRES_URL'
      : 'PostgreSQL (pg, a pool of 10) on a throwaway local cluster, fsync on',
    sqlite: false,
    open: async () => {
      const server = given ? { url: given, stop: async () => {} } : await throwawayCluster()
      const schema = `parley_bench_${process.pid}`
      try {
        const { PostgresStore } = await import('@parley/store-postgres')
        const store = new PostgresStore({ url: server.url, schema })
        await store.start()
        return {
          archive: store,
          close: async () => {
            await store.stop()
            if (given) await dropSchema(server.url, schema)
            await server.stop()
          },
        }
      } catch (error) {
        await server.stop()
        throw error
      }
    },
  }
}

/**
 * The stores measured here: better-sqlite3 when it loads (the note says why not otherwise), and
 * PostgreSQL with a server URL or PostgreSQL's binaries installed.
 */
export async function archiveStoreKinds(
  note: (line: string) => void = () => {},
): Promise<ArchiveStoreKind[]> {
  const kinds = [sqliteKind('node:sqlite')]
  const { betterSqlite3Availability } = await import('@parley/store-sqlite')
  const better = betterSqlite3Availability()
  if (better.available) kinds.push(sqliteKind('better-sqlite3'))
  else note(`archive cases: no better-sqlite3 (${better.reason})`)
  kinds.push(level)
  const url = process.env.PARLEY_TEST_POSTGRES_URL
  if ((url !== undefined && url !== '') || postgresBinaries() !== undefined)
    kinds.push(postgresKind(url || undefined))
  else note('archive cases: no PostgreSQL (set PARLEY_TEST_POSTGRES_URL, or install postgresql)')
  return kinds
}
