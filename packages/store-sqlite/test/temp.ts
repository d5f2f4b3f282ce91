import { join } from 'node:path'
import type { OpenStore, TestSetup } from '@parley/compliance-tests'
import { SqliteStore, type SqliteStoreInit } from '@parley/store-sqlite'
import { tempDir as freshDir, perTestDir, removeDir } from '@parley/test-support'

const PREFIX = 'parley-sqlite-'

/** A fresh directory for one test's database files. */
export const tempDir = (): string => freshDir(PREFIX)

export { removeDir }

/** Stores on `:memory:`, each a private database. */
export const inMemory = (init: Omit<SqliteStoreInit, 'path'> = {}): TestSetup<SqliteStore> => ({
  setup: async () => new SqliteStore({ ...init, path: ':memory:' }),
  teardown: async (store) => store.stop(),
})

/** Stores on a file in a temporary directory, removed (with its WAL files) after each test. */
export function onDisk(init: Omit<SqliteStoreInit, 'path'> = {}): TestSetup<SqliteStore> {
  return perTestDir(
    PREFIX,
    (dir) => new SqliteStore({ ...init, path: join(dir, 'store.db') }),
    (store) => store.stop(),
  )
}

/** A fresh database file per test; `open` makes a new store on it each call. */
export function reopenable(init: Omit<SqliteStoreInit, 'path'> = {}): TestSetup<OpenStore> {
  return perTestDir<OpenStore>(
    PREFIX,
    (dir) => () => new SqliteStore({ ...init, path: join(dir, 'store.db') }),
  )
}
