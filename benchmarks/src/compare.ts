/**
 * `pnpm bench:compare <a.json> <b.json>`: per-case deltas of results b against baseline a, and a
 * non-zero exit when a case of b regresses beyond its threshold. Instruction counts: 3 % for cases
 * on WASM or native providers, 10 % for JavaScript (JIT decisions move them more); wall-clock runs
 * are gated on the ratio to native only (10 %), which machine load moves far less than ops/s.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { type CaseRecord, caseKey, type ResultsDocument } from './results.ts'

export const INSTRUCTION_THRESHOLDS = { native: 0.03, wasm: 0.03, js: 0.1, mixed: 0.1 } as const
export const RATIO_THRESHOLD = 0.1

export interface CaseComparison {
  key: string
  /** b relative to a, in the direction of "worse": +0.05 is 5 % worse; null when not comparable */
  worse: number | null
  threshold: number | null
  regressed: boolean
  /** the figure compared: 'instructions/op' or 'ratio' (or the unit, ungated, without a ratio) */
  basis: string
  a: number | null
  b: number | null
  note: string
}

function recordsByKey(document: ResultsDocument): Map<string, CaseRecord> {
  const map = new Map<string, CaseRecord>()
  for (const pass of document.passes) for (const record of pass.cases) map.set(caseKey(pass, record), record)
  return map
}

function compareCase(
  key: string,
  mode: ResultsDocument['mode'],
  a: CaseRecord,
  b: CaseRecord,
): CaseComparison {
  const skipped = a.status === 'skipped' || b.status === 'skipped'
  if (skipped || a.median === null || b.median === null)
    return {
      key,
      worse: null,
      threshold: null,
      regressed: false,
      basis: b.unit,
      a: a.median,
      b: b.median,
      note: 'skipped in one of them',
    }
  if (mode === 'instructions') {
    const worse = b.median / a.median - 1
    const threshold = INSTRUCTION_THRESHOLDS[b.providerKind]
    return {
      key,
      worse,
      threshold,
      regressed: worse > threshold,
      basis: 'instructions/op',
      a: a.median,
      b: b.median,
      note: '',
    }
  }
  if (a.ratio !== null && b.ratio !== null) {
    // a higher ratio is better for every unit (see speedRatio)
    const worse = a.ratio / b.ratio - 1
    return {
      key,
      worse,
      threshold: RATIO_THRESHOLD,
      regressed: worse > RATIO_THRESHOLD,
      basis: 'ratio',
      a: a.ratio,
      b: b.ratio,
      note: '',
    }
  }
  const worse = b.unit === 'ms' ? b.median / a.median - 1 : a.median / b.median - 1
  return {
    key,
    worse,
    threshold: null,
    regressed: false,
    basis: b.unit,
    a: a.median,
    b: b.median,
    note: 'no ratio: shown, not gated',
  }
}

export function compareResults(a: ResultsDocument, b: ResultsDocument): CaseComparison[] {
  if (a.mode !== b.mode)
    throw new InvalidParametersError(`cannot compare a ${a.mode} run with a ${b.mode} run`)
  const before = recordsByKey(a)
  const comparisons: CaseComparison[] = []
  for (const [key, record] of recordsByKey(b)) {
    const baseline = before.get(key)
    if (baseline === undefined)
      comparisons.push({
        key,
        worse: null,
        threshold: null,
        regressed: false,
        basis: record.unit,
        a: null,
        b: record.median,
        note: 'new: not in a',
      })
    else comparisons.push(compareCase(key, a.mode, baseline, record))
  }
  return comparisons
}

function figure(value: number | null, basis: string): string {
  if (value === null) return '—'
  return basis === 'ratio' ? value.toFixed(3) : value.toPrecision(4)
}

export function formatComparison(comparisons: readonly CaseComparison[]): string {
  const rows = comparisons.map((c) => [
    c.regressed ? '✗' : ' ',
    c.key,
    c.basis,
    figure(c.a, c.basis),
    figure(c.b, c.basis),
    c.worse === null
      ? ''
      : `${c.worse > 0 ? '+' : ''}${(c.worse * 100).toFixed(1)} % ${c.worse > 0 ? 'worse' : 'better'}`,
    c.threshold === null ? c.note : `limit ${(c.threshold * 100).toFixed(0)} %`,
  ])
  const widths = rows.reduce(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [] as number[],
  )
  const regressions = comparisons.filter((c) => c.regressed).length
  return [
    ...rows.map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
    '',
    regressions === 0
      ? 'no regression beyond its threshold'
      : `${regressions} case(s) regressed beyond their threshold`,
  ].join('\n')
}
