/**
 * Charts of results documents, one SVG per hot path (case group): the ratio to native of each
 * provider in each runtime, and the median figure with its min–max bar on a log scale (providers
 * differ by orders of magnitude). Pure string building, so the browser page draws the same charts.
 */
import type { CaseRecord, ResultsDocument } from './results.ts'

export interface ChartRow {
  /** "node 24.21.0 · wasm", "Chrome 140 no-WASM · js" */
  label: string
  id: string
  unit: string
  median: number
  min: number
  max: number
  ratio: number | null
}

export interface ChartGroup {
  group: string
  rows: ChartRow[]
}

const ROW = 22
const LABEL = 330
const RATIO_WIDTH = 200
const VALUE_WIDTH = 300
const GAP = 30
const TOP = 46
const WIDTH = LABEL + RATIO_WIDTH + GAP + VALUE_WIDTH + 20
const COLOURS = { native: '#4c78a8', wasm: '#f58518', js: '#54a24b', mixed: '#9d755d' } as const

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A name per document pass; the same runtime twice gets "#2", "#3". */
function passLabels(documents: readonly ResultsDocument[]): string[][] {
  const seen = new Map<string, number>()
  return documents.map((document) =>
    document.passes.map((pass) => {
      const base = `${pass.runtime.runtime}${pass.runtime.wasmDisabled ? ' no-WASM' : ''}${document.mode === 'instructions' ? ' (instr.)' : ''}`
      const count = (seen.get(base) ?? 0) + 1
      seen.set(base, count)
      return count === 1 ? base : `${base} #${count}`
    }),
  )
}

/** The measured cases of every document, grouped by hot path, in first-seen order. */
export function chartGroups(documents: readonly ResultsDocument[]): ChartGroup[] {
  const groups = new Map<string, ChartRow[]>()
  const labels = passLabels(documents)
  for (const [d, document] of documents.entries()) {
    for (const [p, pass] of document.passes.entries()) {
      for (const record of pass.cases) {
        if (record.status !== 'measured' || record.median === null) continue
        const rows = groups.get(record.group) ?? []
        groups.set(record.group, rows)
        rows.push(toRow(`${labels[d]![p]} · ${record.providerKind}`, record))
      }
    }
  }
  return [...groups].map(([group, rows]) => ({ group, rows }))
}

function toRow(label: string, record: CaseRecord): ChartRow {
  const median = record.median ?? 0
  return {
    label,
    id: record.id,
    unit: record.unit,
    median,
    min: record.min ?? median,
    max: record.max ?? median,
    ratio: record.ratio,
  }
}

function kindOf(label: string): keyof typeof COLOURS {
  const kind = label.slice(label.lastIndexOf('· ') + 2)
  return kind in COLOURS ? (kind as keyof typeof COLOURS) : 'mixed'
}

function compact(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toPrecision(3)}G`
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`
  if (value >= 1e3) return `${(value / 1e3).toPrecision(3)}k`
  return value.toPrecision(3)
}

/** One hot path as an SVG document. */
export function renderGroupSvg(chart: ChartGroup): string {
  const height = TOP + chart.rows.length * ROW + 30
  const ratios = chart.rows.flatMap((r) => (r.ratio === null ? [] : [r.ratio]))
  const ratioMax = Math.max(1, ...ratios) * 1.1
  const positive = chart.rows.flatMap((r) => [r.min, r.max, r.median]).filter((v) => v > 0)
  const low = Math.log10(Math.min(...positive) / 1.5)
  const high = Math.log10(Math.max(...positive) * 1.5)
  const valueX = (v: number) =>
    LABEL + RATIO_WIDTH + GAP + ((Math.log10(Math.max(v, 10 ** low)) - low) / (high - low || 1)) * VALUE_WIDTH
  const ratioX = (v: number) => LABEL + (v / ratioMax) * RATIO_WIDTH
  const units = [...new Set(chart.rows.map((r) => r.unit))].join(', ')
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(`${chart.group}: ratio to native and ${units} per provider and runtime`)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="18" font-size="15" font-weight="bold">${escapeXml(chart.group)}</text>`,
    `<text x="${LABEL}" y="38">ratio to native (1 = as fast)</text>`,
    `<text x="${LABEL + RATIO_WIDTH + GAP}" y="38">${escapeXml(units)}, median and min–max (log scale)</text>`,
    `<line x1="${ratioX(1)}" y1="${TOP - 4}" x2="${ratioX(1)}" y2="${height - 26}" stroke="#888" stroke-dasharray="3 3"/>`,
    `<text x="${ratioX(1) - 3}" y="${height - 12}">1</text>`,
    `<text x="${LABEL + RATIO_WIDTH + GAP}" y="${height - 12}">${compact(10 ** low)}</text>`,
    `<text x="${LABEL + RATIO_WIDTH + GAP + VALUE_WIDTH}" y="${height - 12}" text-anchor="end">${compact(10 ** high)}</text>`,
  ]
  for (const [i, row] of chart.rows.entries()) {
    const y = TOP + i * ROW
    const colour = COLOURS[kindOf(row.label)]
    parts.push(`<text x="8" y="${y + 14}">${escapeXml(row.label)}</text>`)
    if (row.ratio === null) {
      parts.push(`<text x="${LABEL + 4}" y="${y + 14}" fill="#888">no native figure</text>`)
    } else {
      parts.push(
        `<rect x="${LABEL}" y="${y + 3}" width="${Math.max(1, ratioX(row.ratio) - LABEL).toFixed(1)}" height="${ROW - 6}" fill="${colour}"><title>${row.ratio.toFixed(3)}</title></rect>`,
        `<text x="${(ratioX(row.ratio) + 4).toFixed(1)}" y="${y + 14}">${row.ratio.toFixed(2)}</text>`,
      )
    }
    const base = LABEL + RATIO_WIDTH + GAP
    parts.push(
      `<rect x="${base}" y="${y + 5}" width="${Math.max(1, valueX(row.median) - base).toFixed(1)}" height="${ROW - 10}" fill="${colour}" opacity="0.75"><title>${escapeXml(`${row.id}: ${compact(row.median)} ${row.unit}`)}</title></rect>`,
      `<line x1="${valueX(row.min).toFixed(1)}" y1="${y + ROW / 2}" x2="${valueX(row.max).toFixed(1)}" y2="${y + ROW / 2}" stroke="black"/>`,
      `<line x1="${valueX(row.min).toFixed(1)}" y1="${y + 6}" x2="${valueX(row.min).toFixed(1)}" y2="${y + ROW - 6}" stroke="black"/>`,
      `<line x1="${valueX(row.max).toFixed(1)}" y1="${y + 6}" x2="${valueX(row.max).toFixed(1)}" y2="${y + ROW - 6}" stroke="black"/>`,
      `<text x="${(valueX(row.max) + 4).toFixed(1)}" y="${y + 14}">${compact(row.median)}</text>`,
    )
  }
  parts.push('</svg>')
  return parts.join('\n')
}

/** A file name for a group's SVG. */
export function chartFileName(group: string): string {
  return `${group.replace(/[^a-z0-9.-]+/gi, '_')}.svg`
}

/** A self-contained page with every chart inline. */
export function renderHtml(groups: readonly ChartGroup[], title: string): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head><body>`,
    `<h1>${escapeXml(title)}</h1>`,
    ...groups.map((g) => `<section>${renderGroupSvg(g)}</section>`),
    '</body></html>',
  ].join('\n')
}
