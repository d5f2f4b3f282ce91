/**
 * `pnpm bench:report [--out DIR] <results.json…>`: one SVG per hot path and an index.html with all
 * of them, from any number of results documents (Node, browser, no-WASM, several machines).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chartFileName, chartGroups, renderGroupSvg, renderHtml } from './chart.ts'
import { readResults } from './results-file.ts'

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: { out: { type: 'string', default: 'bench-charts' } },
    allowPositionals: true,
  })
  if (positionals.length === 0) {
    console.error('usage: pnpm bench:report [--out DIR] <results.json…>')
    return 2
  }
  const documents = await Promise.all(positionals.map(readResults))
  const groups = chartGroups(documents)
  const out = values.out
  await mkdir(out, { recursive: true })
  for (const group of groups)
    await writeFile(join(out, chartFileName(group.group)), `${renderGroupSvg(group)}\n`)
  await writeFile(join(out, 'index.html'), `${renderHtml(groups, 'Parley benchmarks')}\n`)
  console.log(`wrote ${groups.length} charts and index.html to ${out}`)
  return 0
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
