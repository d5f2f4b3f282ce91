/**
 * The results document every runner writes: `pnpm bench --results`, the browser page's download,
 * the instruction-count mode and the baselines under benchmarks/baselines/. One schema, checked by
 * `validateResults`, so `bench:compare` and `bench:report` read them all alike.
 */
import type { ProviderKind } from '@parley/interfaces'
import type { RuntimeInfo } from './runtime.ts'
import type { BenchCase, BenchResult } from './types.ts'

export const RESULTS_SCHEMA = 'parley-bench-results/1'

/** 'wall-clock': interleaved timed rounds; 'instructions': valgrind instruction counts per operation. */
export type ResultsMode = 'wall-clock' | 'instructions'

/** What ran the case: one provider kind, or several (a pipeline, `seal` with its defaults). */
export type CaseProviderKind = ProviderKind | 'mixed'

export interface CaseRecord {
  id: string
  group: string
  /** ops/s, hashes/s, ms, or instructions/op in the instruction-count mode */
  unit: string
  status: 'measured' | 'skipped'
  /** why a case did not run in this runtime (Node-only features in a browser) */
  skipReason: string | null
  /** "wasm (hash-wasm)" */
  provider: string | null
  providerKind: CaseProviderKind
  median: number | null
  min: number | null
  max: number | null
  rounds: number[]
  /** the native (or in-process) reference's median; null without one */
  reference: number | null
  /** speed over the reference's, 1 = as fast (see BenchResult.ratio) */
  ratio: number | null
  referenceNote: string | null
}

/** One pass over the cases: WebAssembly as the runtime has it, or removed (`wasmDisabled`). */
export interface ResultsPass {
  runtime: RuntimeInfo
  cases: CaseRecord[]
}

export interface ResultsDocument {
  schema: typeof RESULTS_SCHEMA
  mode: ResultsMode
  date: string
  settings: { rounds: number; sliceMs: number | null; operations: number | null; filter: string | null }
  passes: ResultsPass[]
}

/** The provider kind of a case: its `/kind` id suffix, else the first word of its provider. */
export function providerKindOf(c: Pick<BenchCase, 'id' | 'provider'>): CaseProviderKind {
  const suffix = /\/(native|wasm|js)$/.exec(c.id)?.[1]
  if (suffix !== undefined) return suffix as ProviderKind
  const first = /^(native|wasm|js)\b/.exec(c.provider ?? '')?.[1]
  return first === undefined ? 'mixed' : (first as ProviderKind)
}

export function measuredRecord(result: BenchResult): CaseRecord {
  return {
    id: result.id,
    group: result.group,
    unit: result.unit,
    status: 'measured',
    skipReason: null,
    provider: result.provider ?? null,
    providerKind: providerKindOf(result),
    median: result.median,
    min: result.min,
    max: result.max,
    rounds: result.rounds,
    reference: result.reference,
    ratio: result.ratio,
    referenceNote: result.reference === null ? (result.referenceNote ?? null) : null,
  }
}

export function skippedRecord(id: string, group: string, reason: string): CaseRecord {
  return {
    id,
    group,
    unit: 'ops/s',
    status: 'skipped',
    skipReason: reason,
    provider: null,
    providerKind: 'mixed',
    median: null,
    min: null,
    max: null,
    rounds: [],
    reference: null,
    ratio: null,
    referenceNote: null,
  }
}

export function resultsDocument(
  mode: ResultsMode,
  settings: ResultsDocument['settings'],
  passes: ResultsPass[],
): ResultsDocument {
  return { schema: RESULTS_SCHEMA, mode, date: new Date().toISOString(), settings, passes }
}

/** "wasm-disabled/keccak256-1k/js": a case in a pass, the key compare and report match on. */
export function caseKey(pass: ResultsPass, record: CaseRecord): string {
  return pass.runtime.wasmDisabled ? `no-wasm:${record.id}` : record.id
}

type Check = (value: unknown, path: string, errors: string[]) => void

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const string: Check = (v, p, e) => void (typeof v === 'string' || e.push(`${p}: expected a string`))
const boolean: Check = (v, p, e) => void (typeof v === 'boolean' || e.push(`${p}: expected a boolean`))
const finite: Check = (v, p, e) =>
  void ((typeof v === 'number' && Number.isFinite(v)) || e.push(`${p}: expected a finite number`))
const nullable =
  (check: Check): Check =>
  (v, p, e) =>
    v === null || check(v, p, e)
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v, p, e) =>
    void (values.includes(v) || e.push(`${p}: expected one of ${values.join(', ')}`))
const array =
  (check: Check): Check =>
  (v, p, e) => {
    if (!Array.isArray(v)) e.push(`${p}: expected an array`)
    else for (const [i, item] of v.entries()) check(item, `${p}[${i}]`, e)
  }
const shape =
  (fields: Record<string, Check>): Check =>
  (v, p, e) => {
    if (!isObject(v)) {
      e.push(`${p}: expected an object`)
      return
    }
    for (const [name, check] of Object.entries(fields)) {
      if (!(name in v)) e.push(`${p}.${name}: missing`)
      else check(v[name], `${p}.${name}`, e)
    }
  }

const runtimeShape = shape({
  kind: string,
  engine: string,
  engineVersion: nullable(string),
  runtime: string,
  jit: nullable(boolean),
  wasm: boolean,
  wasmSimd: boolean,
  wasmDisabled: boolean,
  hardwareConcurrency: nullable(finite),
  userAgent: nullable(string),
  os: nullable(string),
  cpu: nullable(string),
})

const caseShape = shape({
  id: string,
  group: string,
  unit: oneOf('ops/s', 'hashes/s', 'ms', 'instructions/op'),
  status: oneOf('measured', 'skipped'),
  skipReason: nullable(string),
  provider: nullable(string),
  providerKind: oneOf('native', 'wasm', 'js', 'mixed'),
  median: nullable(finite),
  min: nullable(finite),
  max: nullable(finite),
  rounds: array(finite),
  reference: nullable(finite),
  ratio: nullable(finite),
  referenceNote: nullable(string),
})

const documentShape = shape({
  schema: oneOf(RESULTS_SCHEMA),
  mode: oneOf('wall-clock', 'instructions'),
  date: string,
  settings: shape({
    rounds: finite,
    sliceMs: nullable(finite),
    operations: nullable(finite),
    filter: nullable(string),
  }),
  passes: array(shape({ runtime: runtimeShape, cases: array(caseShape) })),
})

/** Every way `value` differs from a ResultsDocument; empty when it is one. */
export function validateResults(value: unknown): string[] {
  const errors: string[] = []
  documentShape(value, '$', errors)
  if (errors.length > 0) return errors
  for (const [p, pass] of (value as ResultsDocument).passes.entries()) {
    for (const [c, record] of pass.cases.entries()) {
      const at = `$.passes[${p}].cases[${c}]`
      if (record.status === 'skipped' && record.skipReason === null)
        errors.push(`${at}: skipped without a reason`)
      if (record.status === 'measured' && (record.median === null || record.rounds.length === 0))
        errors.push(`${at}: measured without a median and rounds`)
    }
  }
  return errors
}
