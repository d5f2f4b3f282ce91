/** `pnpm bench:compare <a.json> <b.json>`: exit 1 when b regresses against a, 2 on bad input. */
import { compareResults, formatComparison } from './compare.ts'
import { readResults } from './results-file.ts'

async function main(argv: readonly string[]): Promise<number> {
  const files = argv.filter((arg) => arg !== '--')
  if (files.length !== 2) {
    console.error('usage: pnpm bench:compare <baseline.json> <results.json>')
    return 2
  }
  const [a, b] = await Promise.all(files.map(readResults))
  const comparisons = compareResults(a!, b!)
  console.log(formatComparison(comparisons))
  return comparisons.some((c) => c.regressed) ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error)
    process.exitCode = 2
  },
)
