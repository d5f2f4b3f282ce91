import { join } from 'node:path'
import { type CrashTarget, crashRecoverySuite } from '@parley/compliance-tests'
import { LevelStore } from '@parley/store-level'
import { removeDir, tempDir } from './temp.ts'

// The child imports this package's source; its @parley/interfaces import resolves to the built dist.
const MODULE = new URL('../src/index.ts', import.meta.url).href
const dirs = new Map<CrashTarget, string>()

crashRecoverySuite('LevelStore', {
  setup: async () => {
    const dir = tempDir()
    const path = join(dir, 'db')
    const target = {
      module: MODULE,
      exportName: 'LevelStore',
      init: { path },
      open: () => new LevelStore({ path }),
    }
    dirs.set(target, dir)
    return target
  },
  teardown: async (target) => removeDir(dirs.get(target) ?? ''),
})
