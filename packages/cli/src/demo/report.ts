import type { CheckResult } from './runner.ts'

/** `✓ crypto.pow  41.2 ms  wasm kernel` or `✗ core.compose  3.0 ms  <error>` */
export function resultLine(result: CheckResult, nameWidth: number): string {
  const mark = result.ok ? '✓' : '✗'
  const note = result.ok ? result.detail : result.error
  const ms = `${result.ms.toFixed(1)} ms`.padStart(10)
  return `${mark} ${result.name.padEnd(nameWidth)} ${ms}${note === undefined ? '' : `  ${note}`}`
}

export function summaryLine(results: readonly CheckResult[]): string {
  const failed = results.filter((result) => !result.ok).length
  const total = results.length
  return failed === 0 ? `${total} of ${total} checks passed` : `${failed} of ${total} checks failed`
}

/** The last line of `parley demo`, for machines: `{"demo":"parley","checks":[…]}` */
export function reportJson(results: readonly CheckResult[]): string {
  return JSON.stringify({ demo: 'parley', checks: results })
}
