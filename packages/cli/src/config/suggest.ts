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
  // Beyond a third of the word, a "suggestion" is noise rather than a likely typo.
  const limit = Math.max(2, Math.ceil(unknown.length / 3))
  return bestDistance <= limit ? best : undefined
}

/** Levenshtein distance with one rolling row. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** `--log-levl (did you mean --log-level?)` */
export function describeUnknown(
  name: string,
  known: Iterable<string>,
  spell: (key: string) => string,
): string {
  const suggestion = closest(name, known)
  return suggestion === undefined ? spell(name) : `${spell(name)} (did you mean ${spell(suggestion)}?)`
}
