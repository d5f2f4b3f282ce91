import {
  keyValueStoreSuite,
  lifecycleSuite,
  messageArchiveSuite,
  persistentStoreSuite,
  pluginSuite,
} from '@parley/compliance-tests'
import { levelStore } from '@parley/store-level'
import { onDisk, reopenable } from './temp.ts'

keyValueStoreSuite('LevelStore', onDisk())
messageArchiveSuite('LevelStore', onDisk())
// A small page cap makes every query page, exercising cursors on the default path too.
messageArchiveSuite('LevelStore (maxPageSize 4)', onDisk({ maxPageSize: 4 }))
lifecycleSuite('LevelStore', onDisk())
// LevelDB locks its directory: a second store on it must fail to start, with a typed error.
persistentStoreSuite('LevelStore', reopenable(), { sharedLocation: false })
pluginSuite('levelStore', () => levelStore({ path: '/nonexistent-dir/never-opened-by-create' }))
