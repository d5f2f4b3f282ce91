/** Temporary directories for tests of stores that live on disk. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory under the system temp dir, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Removes `dir` and everything in it; a missing directory is fine. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** The shape of `@parley/compliance-tests`' `TestSetup` (kept structural: no dependency). */
export interface DirSetup<T> {
  setup(): Promise<T>
  teardown(instance: T): Promise<void>
}

/**
 * A set-up that gives each test what `make` builds on a fresh directory, then runs `close` (if any)
 * and removes the directory.
 */
export function perTestDir<T>(
  prefix: string,
  make: (dir: string) => T,
  close?: (instance: T) => Promise<void>,
): DirSetup<T> {
  const dirs = new Map<T, string>()
  return {
    setup: async () => {
      const dir = tempDir(prefix)
      const instance = make(dir)
      dirs.set(instance, dir)
      return instance
    },
    teardown: async (instance) => {
      try {
        await close?.(instance)
      } finally {
        removeDir(dirs.get(instance) ?? '')
        dirs.delete(instance)
      }
    },
  }
}
