import { join } from 'node:path'
import { type CrashTarget, crashRecoverySuite } from '@parley/compliance-tests'
import { LevelStore } from '@parley/store-level'
import { perTestDir } from '@parley/test-support'

// The child imports this package's source; its @parley/interfaces import resolves to the built dist.
const MODULE = new URL('../src/index.ts', import.meta.url).href
crashRecoverySuite(
  'LevelStore',
  perTestDir<CrashTarget>('parley-level-', (dir) => {
    const path = join(dir, 'db')
    return { module: MODULE, exportName: 'LevelStore', init: { path }, open: () => new LevelStore({ path }) }
  }),
)
