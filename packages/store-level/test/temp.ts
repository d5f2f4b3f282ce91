import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpenStore, TestSetup } from '@parley/compliance-tests'
import { LevelStore, type LevelStoreInit } from '@parley/store-level'

/** A fresh directory for one test's database. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'parley-level-'))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** A store on a fresh directory per test, removed afterwards. */
export function onDisk(init: Omit<LevelStoreInit, 'path'> = {}): TestSetup<LevelStore> {
  const dirs = new Map<LevelStore, string>()
  return {
    setup: async () => {
      const dir = tempDir()
      const store = new LevelStore({ ...init, path: join(dir, 'db') })
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

/** A fresh directory per test; `open` makes a new store on it each call. */
export function reopenable(): TestSetup<OpenStore> {
  const dirs = new Map<OpenStore, string>()
  return {
    setup: async () => {
      const dir = tempDir()
      const open = () => new LevelStore({ path: join(dir, 'db') })
      dirs.set(open, dir)
      return open
    },
    teardown: async (open) => {
      removeDir(dirs.get(open) ?? '')
      dirs.delete(open)
    },
  }
}
