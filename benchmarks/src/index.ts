/** The harness, for other runners (a browser runner, CI scripts) that bring their own cases. */

export {
  type ChartGroup,
  type ChartRow,
  chartFileName,
  chartGroups,
  renderGroupSvg,
  renderHtml,
} from './chart.ts'
export {
  type CaseComparison,
  compareResults,
  formatComparison,
  INSTRUCTION_THRESHOLDS,
  RATIO_THRESHOLD,
} from './compare.ts'
export { type CountOptions, countInstructions, formatCounts } from './count.ts'
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
export { noReference, type PassOptions, runPass } from './pass.ts'
export { formatReport, type JsonRecord, toJsonRecords, toMeta } from './report.ts'
export {
  type CaseProviderKind,
  type CaseRecord,
  caseKey,
  providerKindOf,
  RESULTS_SCHEMA,
  type ResultsDocument,
  type ResultsMode,
  type ResultsPass,
  resultsDocument,
  validateResults,
} from './results.ts'
export { readResults } from './results-file.ts'
export { describeRuntime, disableWasm, type RuntimeInfo, runtimeInfo } from './runtime.ts'
export { type BenchServer, DEFAULT_HOST, DEFAULT_PORT, type ServeOptions, serveBenchPage } from './serve.ts'
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
export { buildWebRunner, type HeadlessRun, type HeadlessRunOptions, runInChromium } from './web-headless.ts'
