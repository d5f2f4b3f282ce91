import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LevelStore } from '@parley/store-level'
import { tempDir as freshDir, removeDir } from '@parley/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { BATCH_SIZE, batchOf, LIMIT_KIB, readBatches, topicOf, type WriterReport } from './full-disk.ts'

const WRITER = fileURLToPath(new URL('./full-writer.ts', import.meta.url))
/** A writer still running after this long is stuck: kill it and fail. */
const WRITER_DEADLINE_MS = 30_000

interface WriterRun {
  reports: WriterReport[]
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/**
 * Runs full-writer.ts on `path` with the file-size limit `LIMIT_KIB` (`ulimit -f`: no root, no
 * mount; the limit binds root too). Past it a write(2) fails with EFBIG, as on a full disk.
 */
function runLimitedWriter(path: string): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `ulimit -f ${LIMIT_KIB} && exec "$0" "$@"`, process.execPath, WRITER, path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const deadline = setTimeout(() => child.kill('SIGKILL'), WRITER_DEADLINE_MS)
    child.on('error', (error) => {
      clearTimeout(deadline)
      reject(error)
    })
    // 'close', not 'exit': every line still in the pipe is read first.
    child.on('close', (code, signal) => {
      clearTimeout(deadline)
      const lines = stdout.split('\n').filter((line) => line !== '')
      resolve({ reports: lines.map((line) => JSON.parse(line) as WriterReport), code, signal, stderr })
    })
  })
}

function only<Event extends WriterReport['event']>(
  reports: readonly WriterReport[],
  event: Event,
): Extract<WriterReport, { event: Event }> {
  const found = reports.filter((line) => line.event === event)
  expect(found, `one "${event}" report in ${JSON.stringify(reports)}`).toHaveLength(1)
  return found[0] as Extract<WriterReport, { event: Event }>
}

describe('a LevelDB store that runs out of space', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) removeDir(dir)
    dir = undefined
  })

  it('refuses the write with StoreFullError, counts it, stays readable, and reopens with every acknowledged batch whole', async () => {
    dir = freshDir('parley-level-full-')
    const path = join(dir, 'db')
    const run = await runLimitedWriter(path)

    // The child did not crash: it reported everything and closed the store.
    expect(run.stderr, 'the writer failed (is packages/interfaces built?)').toBe('')
    expect(run.signal).toBeNull()
    expect(run.code).toBe(0)
    expect(
      run.reports.some((line) => line.event === 'never-failed'),
      'the limit was never met',
    ).toBe(false)
    const committed = run.reports.flatMap((line) => (line.event === 'committed' ? [line.batch] : []))
    const failed = only(run.reports, 'failed')
    // At least a few batches fit before the limit, and the failing one is the next.
    expect(committed.length).toBeGreaterThanOrEqual(3)
    expect(committed).toEqual(Array.from({ length: committed.length }, (_, batch) => batch))
    expect(failed.batch).toBe(committed.length)
    // The log file is what hit the limit: LevelDB says "File too large" (EFBIG), the store says full.
    for (const refused of [failed.insert, failed.keyValue]) {
      expect(refused).toMatchObject({ name: 'StoreFullError', code: 'ERR_STORE_FULL' })
      expect(refused.cause).toMatch(/File too large/)
    }
    expect(only(run.reports, 'metric').fullWrites).toBe(2)
    // Over the limit, the child still read every acknowledged batch whole, and nothing of the failed one.
    expect(only(run.reports, 'read')).toEqual({
      event: 'read',
      total: committed.length * BATCH_SIZE,
      whole: committed,
      partial: [],
    })
    // What stopped the writes was LevelDB's write-ahead log reaching the limit (in 1 KiB blocks).
    const logSizes = readdirSync(path)
      .filter((name) => name.endsWith('.log'))
      .map((name) => statSync(join(path, name)).size)
    expect(logSizes).toContain(LIMIT_KIB * 1024)

    // Without the limit: the directory opens cleanly, holds exactly the acknowledged batches, and
    // takes writes again, the refused batch included.
    const reopened = new LevelStore({ path })
    await reopened.start()
    try {
      expect(await readBatches(reopened, failed.batch)).toEqual({
        total: committed.length * BATCH_SIZE,
        whole: committed,
        partial: [],
      })
      expect(await reopened.count({ topics: [topicOf(failed.batch)] })).toBe(0)
      expect(await reopened.insert(batchOf(failed.batch))).toBe(BATCH_SIZE)
      const key = new TextEncoder().encode('after the failure')
      await reopened.put(key, new Uint8Array(100_000))
      expect(await reopened.get(key)).toHaveLength(100_000)
    } finally {
      await reopened.stop()
    }
    const again = new LevelStore({ path })
    await again.start()
    try {
      const afterwards = await readBatches(again, failed.batch)
      expect(afterwards.whole).toEqual([...committed, failed.batch])
      expect(afterwards.total).toBe((committed.length + 1) * BATCH_SIZE)
    } finally {
      await again.stop()
    }
  }, 60_000)
})
