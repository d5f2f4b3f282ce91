/**
 * Archive ingest and history-query latency on LevelDB (a directory in a temporary directory):
 *   npx pnpm exec node packages/store-level/bench/archive-bench.ts [--envelopes 1000000] [--batch 1000]
 * The envelopes have whole-second timestamps and 4-byte topics, so they take status-go's layout.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchOptions, printBenchResult, runArchiveBench } from '../../compliance-tests/src/archive-bench.ts'
import { LevelStore } from '../src/index.ts'

const options = benchOptions(process.argv.slice(2))
const dir = mkdtempSync(join(tmpdir(), 'parley-level-bench-'))
const store = new LevelStore({ path: join(dir, 'db') })
await store.start()
try {
  printBenchResult(
    'LevelDB (classic-level)',
    await runArchiveBench(store, options, console.log, () => store.compact()),
  )
} finally {
  await store.stop()
  rmSync(dir, { recursive: true, force: true })
}
