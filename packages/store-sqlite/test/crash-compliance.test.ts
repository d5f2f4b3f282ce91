import { join } from 'node:path'
import { type CrashTarget, crashRecoverySuite } from '@parley/compliance-tests'
import { SqliteStore } from '@parley/store-sqlite'
import { DRIVERS } from './drivers.ts'
import { removeDir, tempDir } from './temp.ts'

// crash.test.ts checks the SQLite specifics (the WAL left behind); this is the shared contract.
const MODULE = new URL('../src/index.ts', import.meta.url).href
const dirs = new Map<CrashTarget, string>()

for (const driver of DRIVERS) {
  crashRecoverySuite(`SqliteStore (${driver})`, {
    setup: async () => {
      const dir = tempDir()
      const path = join(dir, 'crash.db')
      const target = {
        module: MODULE,
        exportName: 'SqliteStore',
        init: { path, driver },
        open: () => new SqliteStore({ path, driver }),
      }
      dirs.set(target, dir)
      return target
    },
    teardown: async (target) => removeDir(dirs.get(target) ?? ''),
  })
}
