import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpenStore, TestSetup } from '@parley/compliance-tests'
import { SqliteStore, type SqliteStoreInit } from '@parley/store-sqlite'

/** A fresh directory for one test's database files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-sqlite-'))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Stores on `:memory:`, each a private database. */
export const inMemory = (init: Omit<SqliteStoreInit, 'path'> = {}): TestSetup<SqliteStore> => ({
  setup: async () => new SqliteStore({ ...init, path: ':memory:' }),
  teardown: async (store) => store.stop(),
})

/** Stores on a file in a temporary directory, removed (with its WAL files) after each test. */
export function onDisk(init: Omit<SqliteStoreInit, 'path'> = {}): TestSetup<SqliteStore> {
  const dirs = new Map<SqliteStore, string>()
  return {
    setup: async () => {
      const dir = tempDir()
      const store = new SqliteStore({ ...init, path: join(dir, 'store.db') })
      dirs.set(store, dir)
      return store
    },
    teardown: async (store) => {
      await store.stop()
      removeDir(dirs.get(store) ?? '')
      dirs.delete(store)
    },
  }
}

/** A fresh database file per test; `open` makes a new store on it each call. */
export function reopenable(init: Omit<SqliteStoreInit, 'path'> = {}): TestSetup<OpenStore> {
  const dirs = new Map<OpenStore, string>()
  return {
    setup: async () => {
      const dir = tempDir()
      const open = () => new SqliteStore({ ...init, path: join(dir, 'store.db') })
      dirs.set(open, dir)
      return open
    },
    teardown: async (open) => {
      removeDir(dirs.get(open) ?? '')
      dirs.delete(open)
    },
  }
}
