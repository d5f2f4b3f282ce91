/** "Did you mean …?" for unknown keys: the known key at the smallest edit distance, if close enough. */
export function closest(unknown: string, known: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const distance = editDistance(unknown, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  // About one typo per three letters; beyond that a "suggestion" is noise.
  const limit = Math.max(1, Math.floor(unknown.length / 3))
  return bestDistance <= limit ? best : undefined
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of
 * adjacent letters (`nmae` → `name`) each cost 1.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1)
      }
      current.push(distance)
    }
    beforePrevious = previous
    previous = current
  }
  return previous[b.length] ?? 0
}

/**
 * A key that no longer exists and what replaced it: `tcp-port` became `devp2p-port`; `whisper = true`
 * became `protocol = ["whisper"]` (`value`).
 */
export interface Replacement {
  readonly to: string
  readonly value?: string
}

export type Replacements = Readonly<Record<string, Replacement>>

/**
 * `--log-levl (did you mean --log-level?)`, or for a replaced key
 * `--tcp-port (replaced by --devp2p-port)`.
 */
export function describeUnknown(
  name: string,
  known: Iterable<string>,
  spell: (key: string) => string,
  replaced: Replacements = {},
): string {
  const replacement = Object.hasOwn(replaced, name) ? replaced[name] : undefined
  if (replacement !== undefined) {
    const value = replacement.value === undefined ? '' : `=${replacement.value}`
    return `${spell(name)} (replaced by ${spell(replacement.to)}${value})`
  }
  const suggestion = closest(name, known)
  return suggestion === undefined ? spell(name) : `${spell(name)} (did you mean ${spell(suggestion)}?)`
}
