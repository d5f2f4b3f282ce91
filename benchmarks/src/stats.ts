/** Order statistics. Percentiles use the nearest-rank rule, as the native reference does. */

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('No values')
  return [...values].sort((a, b) => a - b)
}

/** The smallest value with at least `p` (0 < p <= 1) of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const ordered = sorted(values)
  const rank = Math.min(ordered.length, Math.max(1, Math.ceil(p * ordered.length)))
  return ordered[rank - 1]!
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const ordered = sorted(values)
  const middle = ordered.length >> 1
  return ordered.length % 2 === 1 ? ordered[middle]! : (ordered[middle - 1]! + ordered[middle]!) / 2
}

export function minimum(values: readonly number[]): number {
  return sorted(values)[0]!
}

export function maximum(values: readonly number[]): number {
  return sorted(values).at(-1)!
}
