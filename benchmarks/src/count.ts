/**
 * Instruction counts per operation (`pnpm bench --instructions`): the cases run in one Node process
 * under valgrind's callgrind, which counts every instruction the CPU would execute, JIT code and
 * WASM included. Unlike wall-clock figures these do not move with other load on a shared machine,
 * so a 3 % change is a real change. See count-child.ts for how a segment is delimited.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AbortError, type AbortOptions, UnsupportedError } from '@parley/interfaces'
import type { CountSegment } from './count-child.ts'
import { type CaseRecord, providerKindOf, type ResultsPass, skippedRecord } from './results.ts'
import { runtimeInfo } from './runtime.ts'
import { maximum, median, minimum } from './stats.ts'
import type { BenchCase } from './types.ts'

export interface CountOptions extends AbortOptions {
  cases: readonly BenchCase[]
  /** the least operations in the smaller segment (the child grows it); the larger has twice as many */
  ops: number
  rounds: number
  noWasm: boolean
  /** valgrind executable, default $PARLEY_BENCH_VALGRIND or `valgrind` on the PATH */
  valgrind?: string
}

/** V8 flags that make compilation and GC happen on this thread, at the same points every run. */
export const DETERMINISTIC_FLAGS = [
  '--single-threaded',
  '--predictable',
  // WebAssembly straight to TurboFan: a Liftoff-to-TurboFan tier-up lands wherever the timed
  // warm-up happens to end, and Liftoff code runs about 4x the instructions
  '--no-liftoff',
  '--expose-gc',
  // a fixed young generation: scavenges come at the same allocation volumes in every segment
  '--min-semi-space-size=16',
  '--max-semi-space-size=16',
]

/** The `totals:` (or `summary:`) line of a callgrind dump: instructions executed in it. */
export function parseCallgrindTotal(text: string): number {
  const match = /^(?:totals|summary):\s*(\d+)/m.exec(text)
  if (match === null) throw new UnsupportedError('callgrind dump without a totals line')
  return Number(match[1])
}

/** Instructions per unit of work for each round of one case: (I(2n) − I(n)) / (units(2n) − units(n)). */
export function perOperation(
  segments: readonly CountSegment[],
  totals: ReadonlyMap<number, number>,
): number[] {
  const rounds = new Map<number, CountSegment[]>()
  for (const segment of segments) rounds.set(segment.round, [...(rounds.get(segment.round) ?? []), segment])
  const figures: number[] = []
  for (const pair of rounds.values()) {
    const single = pair.find((s) => s.size === 1)
    const double = pair.find((s) => s.size === 2)
    if (single === undefined || double === undefined) continue
    const a = totals.get(single.dump)
    const b = totals.get(double.dump)
    if (a === undefined || b === undefined || double.units <= single.units) continue
    figures.push((b - a) / (double.units - single.units))
  }
  return figures
}

function runValgrind(command: string, args: string[], options: AbortOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', (error) => {
      if (options.signal?.aborted) reject(new AbortError())
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        reject(new UnsupportedError(`${command} not found: install valgrind (apt-get install valgrind)`))
      else reject(error)
    })
    child.on('close', (code) => {
      if (code === 0) resolve(stdout)
      else
        reject(
          new UnsupportedError(
            `callgrind run exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
          ),
        )
    })
  })
}

/** Counts the run() cases; the latency cases (runFor) are recorded as skipped, with the reason. */
export async function countInstructions(options: CountOptions): Promise<ResultsPass> {
  const countable = options.cases.filter((c) => c.run !== undefined)
  const skipped: CaseRecord[] = options.cases
    .filter((c) => c.run === undefined)
    .map((c) =>
      skippedRecord(c.id, c.group, 'a latency case (runFor) has no per-operation count; it is timed only'),
    )
  const dir = await mkdtemp(join(tmpdir(), 'parley-callgrind-'))
  try {
    const child = fileURLToPath(new URL('./count-child.js', import.meta.url))
    const stdout = await runValgrind(
      options.valgrind ?? process.env.PARLEY_BENCH_VALGRIND ?? 'valgrind',
      [
        '--tool=callgrind',
        '--dump-before=uv_uptime',
        `--callgrind-out-file=${join(dir, 'out')}`,
        process.execPath,
        ...DETERMINISTIC_FLAGS,
        child,
        ...(options.noWasm ? ['--no-wasm'] : []),
        String(options.ops),
        String(options.rounds),
        ...countable.map((c) => c.id),
      ],
      options,
    )
    const segments = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as CountSegment[]
    const totals = new Map<number, number>()
    for (const segment of segments)
      totals.set(segment.dump, parseCallgrindTotal(await readFile(join(dir, `out.${segment.dump}`), 'utf8')))
    const runtime = runtimeInfo()
    runtime.wasmDisabled = options.noWasm
    if (options.noWasm) runtime.wasm = runtime.wasmSimd = false
    const records = countable.map((c): CaseRecord => {
      const rounds = perOperation(
        segments.filter((s) => s.id === c.id),
        totals,
      )
      if (rounds.length === 0)
        return skippedRecord(
          c.id,
          c.group,
          'not in the counted process: its provider does not load there (WASM in a no-WASM run)',
        )
      return {
        id: c.id,
        group: c.group,
        unit: 'instructions/op',
        status: 'measured',
        skipReason: null,
        provider: c.provider ?? null,
        providerKind: providerKindOf(c),
        median: median(rounds),
        min: minimum(rounds),
        max: maximum(rounds),
        rounds,
        reference: null,
        ratio: null,
        referenceNote: 'instruction counts are taken for JavaScript only; the C reference is timed',
      }
    })
    return { runtime, cases: [...records, ...skipped] }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The instruction-count table for stdout. */
export function formatCounts(pass: ResultsPass, ops: number): string {
  const lines = [
    `instructions per operation under callgrind (difference of n and 2n operations, n ≥ ${ops}), ${pass.runtime.wasmDisabled ? 'WebAssembly removed' : 'WebAssembly as the runtime has it'}`,
  ]
  const width = Math.max(...pass.cases.map((c) => c.id.length), 4)
  for (const c of pass.cases) {
    const figure =
      c.median === null
        ? `skipped: ${c.skipReason}`
        : `${Math.round(c.median).toLocaleString('en-US').padStart(14)}  (min ${Math.round(c.min ?? 0)}, max ${Math.round(c.max ?? 0)})  ${c.provider ?? ''}`
    lines.push(`${c.id.padEnd(width)}  ${figure}`)
  }
  return lines.join('\n')
}
