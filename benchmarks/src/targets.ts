/** The performance targets, checked against a result. */
import type { BenchResult, Target } from './types.ts'

export interface TargetCheck {
  met: boolean
  /** "≥ 0.65", "≤ 0.1 ms" */
  goal: string
  /** how far off a missed target is, e.g. "0.52 is 20% below 0.65"; empty when met */
  shortfall: string
}

function percentOff(actual: number, goal: number): string {
  return `${(Math.abs(actual / goal - 1) * 100).toFixed(0)}%`
}

/** undefined when the case has no target or nothing to compare (no reference for a ratio target). */
export function checkTarget(
  result: Pick<BenchResult, 'median' | 'ratio' | 'unit'>,
  target: Target | undefined,
): TargetCheck | undefined {
  if (target === undefined) return undefined
  if ('minRatio' in target) {
    const goal = `≥ ${target.minRatio}`
    if (result.ratio === null) return undefined
    const met = result.ratio >= target.minRatio
    const shortfall = met
      ? ''
      : `${result.ratio.toFixed(2)} is ${percentOff(result.ratio, target.minRatio)} below ${target.minRatio}`
    return { met, goal, shortfall }
  }
  const goal = `≤ ${target.maxMedian} ${result.unit}`
  const met = result.median <= target.maxMedian
  const shortfall = met
    ? ''
    : `${result.median.toPrecision(3)} ${result.unit} is ${percentOff(result.median, target.maxMedian)} over ${target.maxMedian}`
  return { met, goal, shortfall }
}

export function describeTarget(target: Target | undefined, unit: BenchResult['unit']): string {
  if (target === undefined) return ''
  return 'minRatio' in target ? `ratio ≥ ${target.minRatio}` : `p50 ≤ ${target.maxMedian} ${unit}`
}
