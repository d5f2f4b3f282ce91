import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { OpenStore, PersistentStore } from './persistent-store.ts'
import type { TestSetup } from './setup.ts'

/** What the crash-recovery suite kills and reopens. */
export interface CrashTarget {
  /** URL of the module exporting the store class (an adapter's `src/index.ts` or `dist/index.js`) */
  module: string
  /** the exported store class; the child process constructs it as `new Class(init)` */
  exportName: string
  /** the constructor's init, as JSON: it must name the same location `open` uses */
  init: Record<string, unknown>
  /** opens a new (unstarted) store on that location, in this process */
  open: OpenStore
}

export interface CrashRecoveryOptions {
  /** key-value entries and messages per batch (default 5000; 1 kB each) */
  batchSize?: number
}

const KILL_AT = 3
const WRITER = new URL(
  import.meta.url.endsWith('.ts') ? './crash-writer.ts' : './crash-writer.js',
  import.meta.url,
)

/** What a killed writer reported before it died. */
export interface KilledWriter {
  /** batch ids the writer reported fully committed */
  committed: number[]
  /** batch ids the writer reported beginning; nothing later was written */
  begun: number[]
  signal: NodeJS.Signals | null
  stderr: string
}

/**
 * Runs a writer script (`node <args>`) that prints `begin <id>` and `committed <id>` lines, and
 * kills it with SIGKILL as soon as it begins batch `killAt`: mid-write.
 */
export function runUntilKilled(args: readonly string[], killAt: number): Promise<KilledWriter> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const committed: number[] = []
    const begun: number[] = []
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
        if (event === 'begin') begun.push(Number(id))
        if (event === 'begin' && Number(id) === killAt) child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    // 'close', not 'exit': the lines still in the pipe when the child died are read first
    child.on('close', (_code, signal) => resolve({ committed, begun, signal, stderr }))
  })
}

/** Runs the suite's writer until it begins batch `KILL_AT`, then kills it. */
function runAndKill(target: CrashTarget, batchSize: number): Promise<KilledWriter> {
  const args = [
    fileURLToPath(WRITER),
    target.module,
    target.exportName,
    JSON.stringify(target.init),
    String(batchSize),
  ]
  return runUntilKilled(args, KILL_AT)
}

async function keysWithPrefix(store: PersistentStore, prefix: string): Promise<number> {
  let count = 0
  for await (const _ of store.entries({ prefix: new TextEncoder().encode(prefix) })) count += 1
  return count
}

/**
 * Crash safety: a child process writes batches through the adapter and is killed with SIGKILL
 * mid-write; the store then opens cleanly, holds every acknowledged batch whole, holds each
 * unacknowledged write whole or not at all, agrees with itself on counts, and takes writes.
 */
export function crashRecoverySuite(
  name: string,
  setup: TestSetup<CrashTarget>,
  options: CrashRecoveryOptions = {},
): void {
  const batchSize = options.batchSize ?? 5000
  describe(`${name}: crash recovery compliance`, () => {
    it('after SIGKILL mid-write, a reopened store holds every acknowledged batch, and each write whole or not at all', async () => {
      const target = await setup.setup()
      try {
        const killed = await runAndKill(target, batchSize)
        expect(killed.stderr, 'the writer failed (is packages/interfaces built?)').toBe('')
        expect(killed.signal, 'the writer was killed, not finished').toBe('SIGKILL')
        // SIGKILL lands when the kernel delivers it: a writer that outran a loaded parent may have
        // committed batch KILL_AT and begun more. Every acknowledged batch must then be whole too.
        expect(killed.committed.slice(0, KILL_AT)).toEqual([0, 1, 2])
        const lastBegun = Math.max(...killed.begun)
        expect(lastBegun).toBeGreaterThanOrEqual(KILL_AT)
        const store = target.open()
        await store.start()
        try {
          let messages = 0
          for (let id = 0; id <= lastBegun; id++) {
            const keys = await keysWithPrefix(store, `batch/${id}/`)
            const inserted = await store.count({ topics: [`0000${id.toString(16).padStart(4, '0')}`] })
            messages += inserted
            if (killed.committed.includes(id)) {
              expect(keys, `key-value batch ${id} was acknowledged`).toBe(batchSize)
              expect(inserted, `insert ${id} was acknowledged`).toBe(batchSize)
            } else {
              expect([0, batchSize], `key-value batch ${id} is whole or absent`).toContain(keys)
              expect([0, batchSize], `insert ${id} is whole or absent`).toContain(inserted)
            }
          }
          expect(await store.count(), 'the total agrees with the per-topic counts').toBe(messages)
          expect(await store.count({ from: 0n }), 'a range count agrees too').toBe(messages)
          const after = new TextEncoder().encode('after the crash')
          await store.put(after, after)
          expect(await store.get(after)).toEqual(after)
          const hash = new Uint8Array(32).fill(0xee)
          expect(await store.insert([{ hash, timestamp: 1n, topic: 'after', data: after }])).toBe(1)
        } finally {
          await store.stop()
        }
      } finally {
        await setup.teardown(target)
      }
    }, 60_000)
  })
}
