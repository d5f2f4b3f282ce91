import { join } from 'node:path'
import type { OpenStore, TestSetup } from '@parley/compliance-tests'
import { LevelStore, type LevelStoreInit } from '@parley/store-level'
import { tempDir as freshDir, perTestDir, removeDir } from '@parley/test-support'

const PREFIX = 'parley-level-'

/** A fresh directory for one test's database. */
export const tempDir = (): string => freshDir(PREFIX)

export { removeDir }

/** A store on a fresh directory per test, removed afterwards. */
export function onDisk(init: Omit<LevelStoreInit, 'path'> = {}): TestSetup<LevelStore> {
  return perTestDir(
    PREFIX,
    (dir) => new LevelStore({ ...init, path: join(dir, 'db') }),
    (store) => store.stop(),
  )
}

/** A fresh directory per test; `open` makes a new store on it each call. */
export function reopenable(): TestSetup<OpenStore> {
  return perTestDir<OpenStore>(PREFIX, (dir) => () => new LevelStore({ path: join(dir, 'db') }))
}
