/** One pass of the cases, as a ResultsPass: the harness run plus the runtime it ran in. */
import { type Progress, runBenchmarks } from './harness.ts'
import { type CaseRecord, measuredRecord, type ResultsPass } from './results.ts'
import { runtimeInfo } from './runtime.ts'
import type { BenchCase, ReferenceRunner } from './types.ts'

export interface PassOptions {
  cases: readonly BenchCase[]
  reference: ReferenceRunner
  rounds: number
  sliceMs: number
  /** records of cases that did not run here, with their reasons */
  skipped?: readonly CaseRecord[]
  onProgress?(progress: Progress): void
  signal?: AbortSignal
}

/** For runtimes without the C program (browsers): every case is reported without a ratio, said so. */
export function noReference(reason: string): ReferenceRunner {
  return {
    unavailable: () => reason,
    measure: () => Promise.reject(new TypeError(reason)),
  }
}

export async function runPass(options: PassOptions): Promise<ResultsPass> {
  const runtime = runtimeInfo()
  const results = await runBenchmarks(options)
  return { runtime, cases: [...results.map(measuredRecord), ...(options.skipped ?? [])] }
}
