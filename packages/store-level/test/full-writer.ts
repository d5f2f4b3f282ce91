// Run by full.test.ts in a child Node process under `ulimit -f`, so a write past the limit fails
// with EFBIG (Node ignores SIGXFSZ, so the process lives on). argv: <LevelDB directory>.
// Inserts numbered batches until one fails, then tries a key-value write, reads everything back
// while still over the limit, reports the store's full-write counter, closes the store and exits 0.
// Each step is one JSON line on stdout (`WriterReport`).
import { writeSync } from 'node:fs'
import type { Counter, Metrics } from '@parley/interfaces'
import { LevelStore } from '../src/index.ts'
import { batchOf, failureReport, MAX_BATCHES, readBatches, type WriterReport } from './full-disk.ts'

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

const store = new LevelStore({ path: process.argv[2] as string, metrics })
await store.start()
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
// Still under the limit: what was stored must read back whole.
report({ event: 'read', ...(await readBatches(store, failed ?? MAX_BATCHES - 1)) })
report({ event: 'metric', fullWrites })
await store.stop()
