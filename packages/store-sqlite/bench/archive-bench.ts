/**
 * Archive ingest and history-query latency on SQLite (a file in a temporary directory):
 *   npx pnpm exec node packages/store-sqlite/bench/archive-bench.ts [--envelopes 1000000] [--batch 1000]
 * Targets: ingest ≥ 20,000 envelopes/s; a 100-envelope page over 24 h at p99 ≤ 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchOptions, printBenchResult, runArchiveBench } from '../../compliance-tests/src/archive-bench.ts'
import { SqliteStore } from '../src/index.ts'

const options = benchOptions(process.argv.slice(2))
const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-bench-'))
const store = new SqliteStore({ path: join(dir, 'archive.db') })
await store.start()
try {
  printBenchResult('SQLite (node:sqlite, WAL)', await runArchiveBench(store, options))
} finally {
  await store.stop()
  rmSync(dir, { recursive: true, force: true })
}
