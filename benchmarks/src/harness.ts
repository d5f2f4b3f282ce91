/**
 * Interleaved rounds. Every round runs each selected case for one slice and, next to it, the native
 * reference for a slice of the same length, so machine drift (other load, frequency scaling, heat)
 * hits both sides of a ratio alike. Odd rounds run the native side first, even rounds second.
 * Cases that share a reference (the providers of one operation) share its run in each round.
 *
 * A warm-up round (half-length slices, JavaScript only: that is what needs the JIT) comes first and
 * is discarded.
 */
import { AbortError, InvalidParametersError } from '@parley/interfaces'
import { measureSlice } from './measure.ts'
import { maximum, median, minimum } from './stats.ts'
import type { BenchCase, BenchResult, Clock, ReferenceRunner, SliceResult } from './types.ts'

export interface Progress {
  /** 0 for the warm-up */
  round: number
  rounds: number
  /** 1-based */
  caseIndex: number
  cases: number
  id: string
  side: 'js' | 'native'
}

export interface RunOptions {
  cases: readonly BenchCase[]
  reference: ReferenceRunner
  /** measured rounds (the warm-up is extra) */
  rounds: number
  /** slice length in ms, for each side */
  sliceMs: number
  clock?: Clock
  onProgress?(progress: Progress): void
  signal?: AbortSignal
}

/** Whether a figure in this unit grows with speed. */
export function higherIsBetter(unit: BenchResult['unit']): boolean {
  return unit !== 'ms'
}

/** JavaScript speed over native speed, whatever the unit; null without a reference. */
export function speedRatio(
  unit: BenchResult['unit'],
  median: number,
  reference: number | null,
): number | null {
  if (reference === null || reference <= 0 || median <= 0) return null
  return higherIsBetter(unit) ? median / reference : reference / median
}

/**
 * Keeps the cases whose id contains `filter` (all of them without one); a comma separates
 * alternatives: `keccak256-1k,pow-nonce` keeps the cases that contain either.
 */
export function selectCases<C extends { id: string }>(cases: readonly C[], filter: string | undefined): C[] {
  const parts = (filter ?? '').split(',').filter((part) => part !== '')
  return parts.length === 0 ? [...cases] : cases.filter((c) => parts.some((part) => c.id.includes(part)))
}

export async function runBenchmarks(options: RunOptions): Promise<BenchResult[]> {
  if (!(options.rounds >= 1) || !(options.sliceMs > 0))
    throw new InvalidParametersError('rounds must be >= 1 and sliceMs > 0')
  const started: BenchCase[] = []
  try {
    for (const benchCase of options.cases) {
      started.push(benchCase)
      await benchCase.setup?.()
    }
    return await runRounds(options)
  } finally {
    // in reverse, like a stack; a failing teardown must not hide the others or the run's error
    for (const benchCase of started.reverse()) {
      try {
        await benchCase.teardown?.()
      } catch {
        // nothing left to measure; the process exits anyway
      }
    }
  }
}

async function runRounds(options: RunOptions): Promise<BenchResult[]> {
  const { cases, reference, rounds, sliceMs, onProgress, signal } = options
  const now = options.clock ?? (() => performance.now())
  const js = new Map<string, SliceResult[]>(cases.map((c) => [c.id, []]))
  const native = new Map<string, SliceResult[]>()
  const notes = new Map<string, string>()
  for (const c of cases) {
    if (c.reference === undefined) continue
    const note = reference.unavailable(c.reference)
    if (note === undefined) native.set(c.reference, [])
    else notes.set(c.reference, note)
  }

  for (let round = 0; round <= rounds; round++) {
    const measured = new Set<string>()
    for (const [index, benchCase] of cases.entries()) {
      if (signal?.aborted) throw new AbortError()
      const report = (side: Progress['side']) =>
        onProgress?.({ round, rounds, caseIndex: index + 1, cases: cases.length, id: benchCase.id, side })
      if (round === 0) {
        report('js')
        await measureSlice(benchCase, sliceMs / 2, round, now)
        continue
      }
      const ref = benchCase.reference
      const runNative = async () => {
        if (ref === undefined || measured.has(ref) || !native.has(ref)) return
        measured.add(ref)
        report('native')
        try {
          native.get(ref)!.push(await reference.measure(ref, sliceMs, round, { signal }))
        } catch (error) {
          if (signal?.aborted) throw new AbortError()
          // a broken reference costs its ratios, never the run
          native.delete(ref)
          notes.set(ref, `native run failed: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
      if (round % 2 === 1) await runNative()
      report('js')
      js.get(benchCase.id)!.push(await measureSlice(benchCase, sliceMs, round, now))
      if (round % 2 === 0) await runNative()
    }
  }

  return cases.map((c) =>
    summarize(c, js.get(c.id)!, c.reference ? native.get(c.reference) : undefined, notes),
  )
}

function summarize(
  c: BenchCase,
  slices: readonly SliceResult[],
  referenceSlices: readonly SliceResult[] | undefined,
  notes: ReadonlyMap<string, string>,
): BenchResult {
  const rounds = slices.map((slice) => slice.value)
  const p90s = slices.flatMap((slice) => (slice.p90 === undefined ? [] : [slice.p90]))
  const referenceRounds = referenceSlices?.map((slice) => slice.value) ?? []
  const reference = referenceRounds.length > 0 ? median(referenceRounds) : null
  const mid = median(rounds)
  return {
    id: c.id,
    group: c.group,
    unit: c.unit,
    provider: c.provider,
    median: mid,
    min: minimum(rounds),
    max: maximum(rounds),
    rounds,
    p90: p90s.length > 0 ? median(p90s) : undefined,
    referenceId: c.reference,
    inProcessReference: c.inProcessReference?.describe,
    reference,
    referenceRounds,
    ratio: speedRatio(c.unit, mid, reference),
    referenceNote:
      c.reference === undefined
        ? (c.referenceNote ?? 'no native reference for this case')
        : notes.get(c.reference),
    target: c.target,
  }
}
