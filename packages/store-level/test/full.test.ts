import { spawn } from 'node:child_process'
import { lstatSync, readdirSync, readlinkSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LevelStore } from '@parley/store-level'
import { tempDir as freshDir, removeDir } from '@parley/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import {
  BATCH_SIZE,
  batchOf,
  type Exhaustion,
  LIMIT_KIB,
  readBatches,
  topicOf,
  type WriterReport,
} from './full-disk.ts'

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
 * How each way of running out of space is set up, what LevelDB then says, and what the disk holds
 * afterwards. Neither needs root or a mount (RLIMIT_FSIZE binds root too; /dev/full is world-writable).
 */
interface Way {
  /** the command that runs full-writer.ts on `path` */
  command(path: string): [string, string[]]
  /** LevelDB's message for the failed write (the StoreFullError's cause) */
  cause: RegExp
  /** checks that the failure came from where it should, then leaves the files as a full disk would */
  afterwards(path: string, cause: string): void
}

const logs = (path: string): string[] => readdirSync(path).filter((name) => name.endsWith('.log'))

const WAYS: Record<Exhaustion, Way> = {
  'file-size-limit': {
    command: (path) => [
      'bash',
      ['-c', `ulimit -f ${LIMIT_KIB} && exec "$0" "$@"`, process.execPath, WRITER, path, 'file-size-limit'],
    ],
    cause: /File too large/,
    afterwards: (path) => {
      // LevelDB's write-ahead log is what reached the limit (in 1 KiB blocks).
      expect(logs(path).map((name) => statSync(join(path, name)).size)).toContain(LIMIT_KIB * 1024)
    },
  },
  'dev-full': {
    command: (path) => [process.execPath, [WRITER, path, 'dev-full']],
    cause: /No space left on device/,
    afterwards: (path, cause) => {
      const devFull = logs(path).filter((name) => lstatSync(join(path, name)).isSymbolicLink())
      expect(devFull).toHaveLength(1)
      const log = devFull[0] as string
      expect(readlinkSync(join(path, log))).toBe('/dev/full')
      expect(cause).toContain(log)
      // On a full disk the new log would exist, empty: nothing written to it ever landed.
      unlinkSync(join(path, log))
      writeFileSync(join(path, log), '')
    },
  },
}

/** Runs full-writer.ts on `path`, running out of space the `exhaustion` way. */
function runWriter(path: string, exhaustion: Exhaustion): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const [command, args] = WAYS[exhaustion].command(path)
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
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

describe.each(Object.keys(WAYS) as Exhaustion[])(
  'a LevelDB store that runs out of space (%s)',
  (exhaustion) => {
    let dir: string | undefined
    afterEach(() => {
      if (dir !== undefined) removeDir(dir)
      dir = undefined
    })

    it('refuses the write with StoreFullError, counts it, stays readable, and reopens with every acknowledged batch whole', async () => {
      dir = freshDir('parley-level-full-')
      const path = join(dir, 'db')
      const run = await runWriter(path, exhaustion)

      // The child did not crash: it reported everything and closed the store.
      expect(run.stderr, 'the writer failed (is packages/interfaces built?)').toBe('')
      expect(run.signal).toBeNull()
      expect(run.code).toBe(0)
      expect(
        run.reports.some((line) => line.event === 'never-failed'),
        'the store never ran out of space',
      ).toBe(false)
      const committed = run.reports.flatMap((line) => (line.event === 'committed' ? [line.batch] : []))
      const failed = only(run.reports, 'failed')
      // At least a few batches fit before the limit, and the failing one is the next.
      expect(committed.length).toBeGreaterThanOrEqual(3)
      expect(committed).toEqual(Array.from({ length: committed.length }, (_, batch) => batch))
      expect(failed.batch).toBe(committed.length)
      // LevelDB says "IO error: <log>: File too large" (EFBIG) or "…: No space left on device"
      // (ENOSPC); the store says full, for an insert and for a key-value batch alike.
      for (const refused of [failed.insert, failed.keyValue]) {
        expect(refused).toMatchObject({ name: 'StoreFullError', code: 'ERR_STORE_FULL' })
        expect(refused.cause).toMatch(WAYS[exhaustion].cause)
      }
      expect(only(run.reports, 'metric').fullWrites).toBe(2)
      // Still out of space, the child read every acknowledged batch whole, and nothing of the failed one.
      expect(only(run.reports, 'read')).toEqual({
        event: 'read',
        total: committed.length * BATCH_SIZE,
        whole: committed,
        partial: [],
      })
      WAYS[exhaustion].afterwards(path, failed.insert.cause ?? '')

      // With space again: the directory opens cleanly, holds exactly the acknowledged batches, and
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
  },
)
