/** The stdout table, the `--json` records and their `.meta.json` sidecar. */
import { describeMachine, type MachineInfo } from './machine.ts'
import { checkTarget, describeTarget } from './targets.ts'
import type { BenchResult } from './types.ts'

/** The record shape `--json` writes, one per case. */
export interface JsonRecord {
  id: string
  unit: string
  median: number
  min: number
  max: number
  /** median of the native runs; null when there is no reference */
  reference: number | null
  /** speed relative to native (see BenchResult.ratio); null when there is no reference */
  ratio: number | null
}

export function toJsonRecords(results: readonly BenchResult[]): JsonRecord[] {
  return results.map(({ id, unit, median, min, max, reference, ratio }) => ({
    id,
    unit,
    median,
    min,
    max,
    reference,
    ratio,
  }))
}

/** Everything else a run knows, for `FILE.meta.json`. */
export function toMeta(results: readonly BenchResult[], machine: MachineInfo, settings: object) {
  return {
    machine,
    settings,
    cases: results.map((r) => ({
      id: r.id,
      provider: r.provider ?? null,
      referenceId: r.referenceId ?? null,
      inProcessReference: r.inProcessReference ?? null,
      referenceNote: r.referenceNote ?? null,
      rounds: r.rounds,
      referenceRounds: r.referenceRounds,
      p90: r.p90 ?? null,
      target: r.target === undefined ? null : describeTarget(r.target, r.unit),
      targetMet: checkTarget(r, r.target)?.met ?? null,
    })),
  }
}

/** Three significant digits, with k/M for large throughputs. */
export function formatValue(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`
  if (value >= 1e3) return `${(value / 1e3).toPrecision(3)}k`
  return value.toPrecision(3)
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)))
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length)
        // text columns left-aligned, numbers right-aligned
        return column < 3 ? cell + pad : pad + cell
      })
      .join('  ')
      .trimEnd(),
  )
}

export function formatReport(
  results: readonly BenchResult[],
  machine: MachineInfo,
  settings: string,
): string {
  const header = ['case', 'provider', 'unit', 'median', 'min', 'max', 'native', 'ratio', 'target', '']
  const rows = results.map((r) => {
    const check = checkTarget(r, r.target)
    return [
      r.id,
      r.provider ?? '',
      r.unit,
      formatValue(r.median),
      formatValue(r.min),
      formatValue(r.max),
      r.reference === null ? 'n/a' : formatValue(r.reference),
      r.ratio === null ? 'n/a' : r.ratio.toFixed(2),
      describeTarget(r.target, r.unit),
      check === undefined ? (r.target ? '?' : '') : check.met ? '✓' : '✗',
    ]
  })
  const notes = new Map<string, string>()
  for (const r of results)
    if (r.reference === null && r.referenceNote) notes.set(r.referenceId ?? r.id, r.referenceNote)
  const p90s = results.flatMap((r) =>
    r.p90 === undefined ? [] : [`${r.id} ${formatValue(r.p90)} ${r.unit}`],
  )
  const inProcess = results.flatMap((r) =>
    r.inProcessReference === undefined ? [] : [`  ${r.id}: ${r.inProcessReference}`],
  )
  const missed = results.flatMap((r) => {
    const check = checkTarget(r, r.target)
    return check && !check.met ? [`  ✗ ${r.id}: ${check.shortfall}`] : []
  })
  return [
    ...describeMachine(machine),
    settings,
    '',
    ...table([header, ...rows]),
    '',
    'ratio = JavaScript speed / native speed (median / native for throughput, native / median for ms)',
    ...(inProcess.length > 0
      ? ['"native" is an in-process JavaScript floor, not C, for:', ...inProcess]
      : []),
    ...(p90s.length > 0 ? [`p90 (median over rounds): ${p90s.join(', ')}`] : []),
    ...(missed.length > 0 ? ['targets missed:', ...missed] : []),
    ...(notes.size > 0 ? ['n/a:', ...[...notes].map(([id, note]) => `  ${id}: ${note}`)] : []),
  ].join('\n')
}
