import { statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runUntilKilled } from '@parley/compliance-tests'
import { SqliteStore } from '@parley/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { removeDir, tempDir } from './temp.ts'

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url))
const BATCH_SIZE = 5000
const encoder = new TextEncoder()

async function countPrefix(store: SqliteStore, prefix: string): Promise<number> {
  let count = 0
  for await (const _ of store.entries({ prefix: encoder.encode(prefix) })) count += 1
  return count
}

describe('crash safety', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) removeDir(dir)
  })

  it('after SIGKILL mid-batch, a reopened store holds every committed batch and each batch whole or not at all', async () => {
    dir = tempDir()
    const path = join(dir, 'crash.db')
    const killAt = 3
    const result = await runUntilKilled([WRITER, path, String(BATCH_SIZE)], killAt)
    // The writer imports this package's source, whose @parley/interfaces import resolves to the
    // built dist/ (made by `pnpm install`'s prepare step, or `pnpm build`).
    expect(result.stderr, 'the writer failed; is packages/interfaces built?').toBe('')
    expect(result.signal, 'the writer was killed, not finished').toBe('SIGKILL')
    // SIGKILL lands when the parent gets to send it: a writer that outran a loaded parent may have
    // committed batch killAt and begun more. Every acknowledged batch must then be whole too.
    expect(result.committed.slice(0, killAt)).toEqual([0, 1, 2])
    const lastBegun = Math.max(...result.begun)
    expect(lastBegun).toBeGreaterThanOrEqual(killAt)
    // The kill left a write-ahead log for the next open to recover from (not a clean checkpoint).
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0)

    const store = new SqliteStore({ path })
    await store.start()
    try {
      for (let id = 0; id <= lastBegun + 1; id++) {
        const keys = await countPrefix(store, `batch/${id}/`)
        const messages = await store.count({ topics: [`batch-${id}`] })
        if (result.committed.includes(id)) {
          expect(keys, `batch ${id} committed`).toBe(BATCH_SIZE)
          expect(messages, `insert ${id} committed`).toBe(BATCH_SIZE)
        } else {
          expect([0, BATCH_SIZE], `batch ${id} is whole or absent`).toContain(keys)
          expect([0, BATCH_SIZE], `insert ${id} is whole or absent`).toContain(messages)
          // the writer inserts only once the key-value batch committed
          if (messages > 0) expect(keys, `batch ${id} before insert ${id}`).toBe(BATCH_SIZE)
        }
      }
      // The database is still writable after recovery.
      await store.put(encoder.encode('after'), encoder.encode('crash'))
      expect(await store.get(encoder.encode('after'))).toEqual(encoder.encode('crash'))
    } finally {
      await store.stop()
    }
  }, 60_000) // a child process writes 20 MB: slow on a loaded machine
})
