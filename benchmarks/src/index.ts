/** The harness, for other runners (a browser runner, CI scripts) that bring their own cases. */

export {
  higherIsBetter,
  type Progress,
  type RunOptions,
  runBenchmarks,
  selectCases,
  speedRatio,
} from './harness.ts'
export { IN_PROCESS_PREFIX, withInProcessReferences } from './in-process.ts'
export { cpuClock, latencyResult, measureRate, measureSlice } from './measure.ts'
export { type NativeInfo, NativeReference, parseReferenceOutput } from './native.ts'
export { formatReport, type JsonRecord, toJsonRecords, toMeta } from './report.ts'
export { median, percentile } from './stats.ts'
export { checkTarget, describeTarget, RECEIVE_PIPELINE_TARGET, type TargetCheck } from './targets.ts'
export type {
  BenchCase,
  BenchResult,
  Clock,
  InProcessReference,
  ReferenceRunner,
  SliceResult,
  Target,
  Unit,
} from './types.ts'
