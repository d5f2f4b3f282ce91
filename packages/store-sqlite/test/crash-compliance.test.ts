import { join } from 'node:path'
import { type CrashTarget, crashRecoverySuite } from '@parley/compliance-tests'
import { SqliteStore } from '@parley/store-sqlite'
import { removeDir, tempDir } from './temp.ts'

// crash.test.ts checks the SQLite specifics (the WAL left behind); this is the shared contract.
const MODULE = new URL('../src/index.ts', import.meta.url).href
const dirs = new Map<CrashTarget, string>()

crashRecoverySuite('SqliteStore', {
  setup: async () => {
    const dir = tempDir()
    const path = join(dir, 'crash.db')
    const target = {
      module: MODULE,
      exportName: 'SqliteStore',
      init: { path },
      open: () => new SqliteStore({ path }),
    }
    dirs.set(target, dir)
    return target
  },
  teardown: async (target) => removeDir(dirs.get(target) ?? ''),
})
