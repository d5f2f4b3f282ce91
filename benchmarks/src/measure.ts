/** One slice of one case: time `run` in batches, or let the case time itself. */
import { InvalidParametersError } from '@parley/interfaces'
import { percentile } from './stats.ts'
import type { BenchCase, Clock, SliceResult } from './types.ts'

/** A batch should take about this share of the slice, so reading the clock costs nothing. */
const BATCH_SHARE = 1 / 50
const MAX_BATCH = 2 ** 30

async function runBatch(run: NonNullable<BenchCase['run']>, iterations: number): Promise<number> {
  const done = run(iterations)
  const units = done instanceof Promise ? await done : done
  return units ?? iterations
}

/**
 * Units of work per second over about `ms` milliseconds. The batch size doubles until one batch
 * takes BATCH_SHARE of the slice (that calibration is not counted), then batches run until the slice
 * is over; the rate is the work of whole batches over their total time.
 */
export async function measureRate(
  run: NonNullable<BenchCase['run']>,
  ms: number,
  now: Clock,
): Promise<SliceResult> {
  let iterations = 1
  for (;;) {
    const began = now()
    await runBatch(run, iterations)
    if (now() - began >= ms * BATCH_SHARE || iterations >= MAX_BATCH) break
    iterations *= 2
  }
  let units = 0
  const began = now()
  let elapsed = 0
  do {
    units += await runBatch(run, iterations)
    elapsed = now() - began
  } while (elapsed < ms)
  return { value: units / (elapsed / 1000), samples: units }
}

/**
 * This process's CPU time in ms (user + system, every thread, so GC helpers count). A rate per
 * CPU-second is what one core sustains, and other load on a shared machine does not dilute it the
 * way it dilutes a wall-clock rate. Only for cases whose reference runs in this process or that have
 * none: a native reference is timed by the wall clock in its own process.
 */
export function cpuClock(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Median and 90th percentile of latencies in ms. */
export function latencyResult(latencies: readonly number[]): SliceResult {
  if (latencies.length === 0) throw new RangeError('A latency slice completed no operation')
  return { value: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), samples: latencies.length }
}

/** Runs one slice of `benchCase`. */
export function measureSlice(
  benchCase: BenchCase,
  ms: number,
  offset: number,
  now: Clock,
): Promise<SliceResult> {
  if (benchCase.runFor !== undefined) return benchCase.runFor(ms, offset)
  if (benchCase.run !== undefined) return measureRate(benchCase.run, ms, benchCase.cpuTime ? cpuClock : now)
  throw new InvalidParametersError(`Case ${benchCase.id} has neither run nor runFor`)
}
