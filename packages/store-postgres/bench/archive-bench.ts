/**
 * Archive ingest and history-query latency on PostgreSQL:
 *   npx pnpm exec node packages/store-postgres/bench/archive-bench.ts [--envelopes 1000000] [--batch 1000]
 * Uses PARLEY_TEST_POSTGRES_URL when set, else starts a throwaway cluster with default durability
 * (fsync on, synchronous_commit on) on loopback, as the tests' helper does.
 */
import { benchOptions, printBenchResult, runArchiveBench } from '../../compliance-tests/src/archive-bench.ts'
import { PostgresStore } from '../src/index.ts'
import { startCluster } from '../test/server.ts'

const options = benchOptions(process.argv.slice(2))
const given = process.env.PARLEY_TEST_POSTGRES_URL
const server = given ? { url: given, stop: async () => {} } : await startCluster({ durable: true })
const schema = `bench_${process.pid}`
const store = new PostgresStore({ url: server.url, schema })
await store.start()
try {
  printBenchResult('PostgreSQL (pg, one pool)', await runArchiveBench(store, options))
} finally {
  await store.stop()
  const pg = (await import('pg')).default
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  await client.query(`DROP SCHEMA "${schema}" CASCADE`)
  await client.end()
  await server.stop()
}
