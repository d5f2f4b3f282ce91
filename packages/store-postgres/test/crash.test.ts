import { crashRecoverySuite } from '@parley/compliance-tests'
import { PostgresStore } from '@parley/store-postgres'
import { afterAll, beforeAll } from 'vitest'
import { dropSchema, freshSchema } from './schemas.ts'
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

// The child imports this package's source and writes over its own connections; the server rolls
// back whatever the killed client left open.
crashRecoverySuite(
  'PostgresStore',
  {
    setup: async () => {
      const init = { url: url(), schema: freshSchema() }
      return {
        module: new URL('../src/index.ts', import.meta.url).href,
        exportName: 'PostgresStore',
        init,
        open: () => new PostgresStore(init),
      }
    },
    teardown: async (target) => dropSchema(url(), target.init.schema as string),
  },
  // A key-value batch is one statement per entry inside a transaction: keep the batches smaller.
  { batchSize: 1000 },
)
