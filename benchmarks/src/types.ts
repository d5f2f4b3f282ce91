/** The shapes the harness, the cases and the report share. */
import type { AbortOptions } from '@parley/interfaces'

/** Throughput units are "more is better"; `ms` is a latency, "less is better". */
export type Unit = 'ops/s' | 'hashes/s' | 'ms'

/** What one slice of a case measured. */
export interface SliceResult {
  /** ops/s or hashes/s for throughput cases, the median latency in ms for latency cases */
  value: number
  /** latency cases: the 90th percentile in ms */
  p90?: number
  /** operations (or hashes) the slice completed */
  samples: number
}

/**
 * A target from the issue: a minimum ratio to the reference, an upper bound on the median
 * (`maxMedian`, for latencies), or a lower bound on it (`minMedian`, an absolute throughput).
 */
export type Target = { minRatio: number } | { maxMedian: number } | { minMedian: number }

/**
 * A reference that runs in this process, for cases whose fair comparison is a JavaScript floor
 * (node:crypto called directly) rather than C. Measured like `run`, in the same rounds.
 */
export interface InProcessReference {
  /** the id `reference` names; starts with `js:` */
  id: string
  /** what it runs, for the report ("node:crypto createDecipheriv AES-256-GCM") */
  describe: string
  run(iterations: number): number | undefined | Promise<number | undefined>
}

export interface BenchCase {
  /** unique, `--filter` matches a substring of it; per-provider cases end in `/<provider kind>` */
  id: string
  /** the hot path, shared by the providers of one operation ("secp256k1-sign") */
  group: string
  unit: Unit
  /** what runs the JavaScript side ("wasm (hash-wasm)"), recorded in the report */
  provider?: string
  /** id of the native reference case (`reference --list`) this case is compared with */
  reference?: string
  /** a reference run in this process instead; `reference` must then be its id */
  inProcessReference?: InProcessReference
  /**
   * Time `run` (and an in-process reference) by this process's CPU time instead of the wall clock:
   * the rate is then per CPU-second, i.e. per core (see `cpuClock`)
   */
  cpuTime?: boolean
  /** why the case has no reference, when `reference` is absent (shown in the report) */
  referenceNote?: string
  target?: Target
  /** runs once before the warm-up; keys, inputs, providers */
  setup?(): void | Promise<void>
  /** runs once after the last round, even after a failure: closes what `setup` opened (sockets) */
  teardown?(): void | Promise<void>
  /**
   * Performs `iterations` operations; returns the units of work done when that is not
   * `iterations` (a PoW search call hashes many nonces). The harness times it.
   */
  run?(iterations: number): number | undefined | Promise<number | undefined>
  /**
   * Measures itself for about `ms` milliseconds (latency cases). `offset` is the round number, so
   * a round's inputs match those the native reference gets in the same round.
   */
  runFor?(ms: number, offset: number): Promise<SliceResult>
}

/** The native side of the comparison. */
export interface ReferenceRunner {
  /** Why `id` cannot be measured here (no compiler, no OpenSSL, ...), or undefined when it can. */
  unavailable(id: string): string | undefined
  measure(id: string, ms: number, offset: number, options?: AbortOptions): Promise<SliceResult>
}

/** Milliseconds from an arbitrary origin; `performance.now` unless a test fakes it. */
export type Clock = () => number

export interface BenchResult {
  id: string
  group: string
  unit: Unit
  provider: string | undefined
  /** median over the measured rounds of the per-round figure */
  median: number
  min: number
  max: number
  /** one figure per measured round, in order */
  rounds: number[]
  /** latency cases: median over rounds of the per-round 90th percentile */
  p90: number | undefined
  referenceId: string | undefined
  /** what the reference runs when it is in-process JavaScript rather than C */
  inProcessReference: string | undefined
  /** median of the native runs, or null when there is none */
  reference: number | null
  referenceRounds: number[]
  /**
   * JavaScript speed over native speed: median / reference for throughput, reference / median for
   * latencies, so 1 means "as fast as native" either way. Null without a reference.
   */
  ratio: number | null
  /** why there is no reference */
  referenceNote: string | undefined
  target: Target | undefined
}
