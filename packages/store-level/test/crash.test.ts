import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LevelStore } from '@parley/store-level'
import { afterEach, describe, expect, it } from 'vitest'
import { removeDir, tempDir } from './temp.ts'

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url))
const BATCH_SIZE = 5000
const encoder = new TextEncoder()

interface Killed {
  /** batch ids the child reported fully committed before it died */
  committed: number[]
  signal: NodeJS.Signals | null
  stderr: string
}

/** Runs the writer until it has begun batch `killAt`, then kills it with SIGKILL, mid-transaction. */
function runAndKill(path: string, killAt: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, String(BATCH_SIZE)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const committed: number[] = []
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const lines = stdout.split('\n')
      stdout = lines.pop() ?? ''
      for (const line of lines) {
        const [event, id] = line.split(' ')
        if (event === 'committed') committed.push(Number(id))
        if (event === 'begin' && Number(id) === killAt) child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('exit', (_code, signal) => resolve({ committed, signal, stderr }))
  })
}

async function countPrefix(store: LevelStore, prefix: string): Promise<number> {
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
    const path = join(dir, 'db')
    const killAt = 3
    const result = await runAndKill(path, killAt)
    // The writer imports this package's source, whose @parley/interfaces import resolves to the
    // built dist/ (made by `pnpm install`'s prepare step, or `pnpm build`).
    expect(result.stderr, 'the writer failed; is packages/interfaces built?').toBe('')
    expect(result.signal, 'the writer was killed, not finished').toBe('SIGKILL')
    expect(result.committed).toEqual([0, 1, 2])

    const store = new LevelStore({ path })
    await store.start()
    try {
      for (let id = 0; id <= killAt + 1; id++) {
        const keys = await countPrefix(store, `batch/${id}/`)
        const messages = await store.count({ topics: [`0000${id.toString(16).padStart(4, '0')}`] })
        if (id < killAt) {
          expect(keys, `batch ${id} committed`).toBe(BATCH_SIZE)
          expect(messages, `insert ${id} committed`).toBe(BATCH_SIZE)
        } else {
          expect([0, BATCH_SIZE], `batch ${id} is whole or absent`).toContain(keys)
          expect(messages, `insert ${id} never began`).toBe(0)
        }
      }
      // The O(1) count kept in the write batches agrees with a full scan.
      expect(await store.count()).toBe(await store.count({ from: 0n }))
      expect(await store.count()).toBe(killAt * BATCH_SIZE)
      // The database is still writable after recovery.
      await store.put(encoder.encode('after'), encoder.encode('crash'))
      expect(await store.get(encoder.encode('after'))).toEqual(encoder.encode('crash'))
    } finally {
      await store.stop()
    }
  })
})
