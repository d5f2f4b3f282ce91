import {
  keyValueStoreSuite,
  lifecycleSuite,
  messageArchiveSuite,
  persistentStoreSuite,
  pluginSuite,
} from '@parley/compliance-tests'
import { sqliteStore } from '@parley/store-sqlite'
import { DRIVERS } from './drivers.ts'
import { inMemory, onDisk, reopenable } from './temp.ts'

for (const driver of DRIVERS) {
  keyValueStoreSuite(`SqliteStore (${driver}, :memory:)`, inMemory({ driver }))
  messageArchiveSuite(`SqliteStore (${driver}, :memory:)`, inMemory({ driver }))
  // A small page cap makes every query page, exercising cursors on the default path too.
  messageArchiveSuite(
    `SqliteStore (${driver}, :memory:, maxPageSize 4)`,
    inMemory({ driver, maxPageSize: 4 }),
  )
  lifecycleSuite(`SqliteStore (${driver}, :memory:)`, inMemory({ driver }))

  keyValueStoreSuite(`SqliteStore (${driver}, file)`, onDisk({ driver }))
  messageArchiveSuite(`SqliteStore (${driver}, file)`, onDisk({ driver }))
  lifecycleSuite(`SqliteStore (${driver}, file)`, onDisk({ driver }))
  // Two SqliteStores on one file are two connections; WAL and BEGIN IMMEDIATE keep them consistent.
  persistentStoreSuite(`SqliteStore (${driver}, file)`, reopenable({ driver }), { sharedLocation: true })
}

pluginSuite('sqliteStore (:memory:)', () => sqliteStore({ path: ':memory:' }))
pluginSuite('sqliteStore (better-sqlite3)', () => sqliteStore({ path: ':memory:', driver: 'better-sqlite3' }))
pluginSuite('sqliteStore (file)', () => sqliteStore({ path: '/nonexistent-dir/never-opened-by-create.db' }))
