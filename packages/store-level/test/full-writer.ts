// Run by full.test.ts in a child Node process. argv: <LevelDB directory> <Exhaustion>. With
// `file-size-limit` the parent has set `ulimit -f`, so a write past the limit fails with EFBIG (Node
// ignores SIGXFSZ, so the process lives on); with `dev-full` this script points LevelDB's next log
// file at /dev/full. Inserts numbered batches until one fails, then tries a key-value write, reads
// everything back while still out of space, reports the store's full-write counter, closes the
// store and exits 0. Each step is one JSON line on stdout (`WriterReport`).
import { readdirSync, symlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Counter, Metrics } from '@parley/interfaces'
import { LevelStore } from '../src/index.ts'
import {
  batchOf,
  type Exhaustion,
  failureReport,
  MAX_BATCHES,
  readBatches,
  type WriterReport,
} from './full-disk.ts'

/** Synchronous, so every line is in the pipe before anything that follows can go wrong. */
function report(line: WriterReport): void {
  writeSync(1, `${JSON.stringify(line)}\n`)
}

let fullWrites = 0
const metrics: Metrics = {
  counter: ({ name }): Counter => ({
    inc: (labels, value = 1) => {
      if (
        name === 'parley_store_write_errors_total' &&
        labels?.store === 'level' &&
        labels.reason === 'full'
      ) {
        fullWrites += value
      }
    },
  }),
  gauge: () => {
    throw new TypeError('the LevelDB store registers no gauge')
  },
  histogram: () => {
    throw new TypeError('the LevelDB store registers no histogram')
  },
  expose: async () => `parley_store_write_errors_total{store="level",reason="full"} ${fullWrites}\n`,
  contentType: 'text/plain; version=0.0.4',
}

/**
 * LevelDB numbers its files from one counter. After a fresh open (log 3, manifest 2) nothing else
 * is created until the write buffer fills; then it opens the next number as its new log (O_CREAT
 * follows the symlink), and every write to it fails with ENOSPC. Made only after the open: a log
 * present at open would be replayed, and /dev/full reads as endless zeros.
 */
function nextLogOnDevFull(path: string): void {
  const numbers = readdirSync(path).flatMap((name) => {
    const number = /^(?:MANIFEST-)?(\d+)(?:\.\w+)?$/.exec(name)?.[1]
    return number === undefined ? [] : [Number(number)]
  })
  const next = Math.max(...numbers) + 1
  symlinkSync('/dev/full', join(path, `${String(next).padStart(6, '0')}.log`))
}

const [path, exhaustion] = process.argv.slice(2) as [string, Exhaustion]
const store = new LevelStore({ path, metrics })
await store.start()
if (exhaustion === 'dev-full') nextLogOnDevFull(path)
let failed: number | undefined
for (let batch = 0; batch < MAX_BATCHES && failed === undefined; batch++) {
  try {
    await store.insert(batchOf(batch))
    report({ event: 'committed', batch })
  } catch (insertError) {
    failed = batch
    const keyValueError = await store
      .batch()
      .put(new TextEncoder().encode('after the failure'), new Uint8Array(100_000))
      .commit()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
    report({
      event: 'failed',
      batch,
      insert: failureReport(insertError),
      keyValue: failureReport(keyValueError),
    })
  }
}
if (failed === undefined) report({ event: 'never-failed' })
// Still out of space: what was stored must read back whole.
report({ event: 'read', ...(await readBatches(store, failed ?? MAX_BATCHES - 1)) })
report({ event: 'metric', fullWrites })
await store.stop()
