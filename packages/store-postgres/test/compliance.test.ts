import {
  keyValueStoreSuite,
  lifecycleSuite,
  messageArchiveSuite,
  persistentStoreSuite,
  pluginSuite,
} from '@parley/compliance-tests'
import { postgresStore } from '@parley/store-postgres'
import { afterAll, beforeAll } from 'vitest'
import { inSchema, reopenable } from './schemas.ts'
import { type TestServer, testServer } from './server.ts'

let server: TestServer | undefined
beforeAll(async () => {
  server = await testServer()
}, 60_000)
afterAll(() => server?.stop())
const url = () => {
  if (server === undefined) throw new Error('no PostgreSQL server')
  return server.url
}

keyValueStoreSuite('PostgresStore', inSchema(url))
messageArchiveSuite('PostgresStore', inSchema(url))
// A small page cap makes every query page, exercising cursors on the default path too.
messageArchiveSuite('PostgresStore (maxPageSize 4)', inSchema(url, { maxPageSize: 4 }))
lifecycleSuite('PostgresStore', inSchema(url))
// Many nodes may share one database: two stores on one schema are two pools.
persistentStoreSuite('PostgresStore', reopenable(url), { sharedLocation: true })
pluginSuite('postgresStore', () =>
  postgresStore({ url: 'postgres://nobody@127.0.0.1:1/never-connected-by-create' }),
)
