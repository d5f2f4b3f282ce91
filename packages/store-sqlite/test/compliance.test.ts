import {
  keyValueStoreSuite,
  lifecycleSuite,
  messageArchiveSuite,
  persistentStoreSuite,
  pluginSuite,
} from '@parley/compliance-tests'
import { sqliteStore } from '@parley/store-sqlite'
import { inMemory, onDisk, reopenable } from './temp.ts'

keyValueStoreSuite('SqliteStore (:memory:)', inMemory())
messageArchiveSuite('SqliteStore (:memory:)', inMemory())
// A small page cap makes every query page, exercising cursors on the default path too.
messageArchiveSuite('SqliteStore (:memory:, maxPageSize 4)', inMemory({ maxPageSize: 4 }))
lifecycleSuite('SqliteStore (:memory:)', inMemory())

keyValueStoreSuite('SqliteStore (file)', onDisk())
messageArchiveSuite('SqliteStore (file)', onDisk())
lifecycleSuite('SqliteStore (file)', onDisk())
// Two SqliteStores on one file are two connections; WAL and BEGIN IMMEDIATE keep them consistent.
persistentStoreSuite('SqliteStore (file)', reopenable(), { sharedLocation: true })

pluginSuite('sqliteStore (:memory:)', () => sqliteStore({ path: ':memory:' }))
pluginSuite('sqliteStore (file)', () => sqliteStore({ path: '/nonexistent-dir/never-opened-by-create.db' }))
