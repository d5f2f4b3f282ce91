/**
 * `pnpm bench:web`: builds the browser runner into benchmarks/web/dist (open it with
 * `parley bench serve`). With `--run`, also runs it in headless Chromium and writes the results
 * document, the same schema as `pnpm bench --results`.
 */
import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { describeRuntime } from './runtime.ts'
import { WEB_DIST } from './serve.ts'
import { buildWebRunner, runInChromium } from './web-headless.ts'

const USAGE = `usage: pnpm bench:web [--run [--rounds N] [--ms MS] [--filter S] [--no-wasm-pass] [--results FILE]]`

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      run: { type: 'boolean' },
      rounds: { type: 'string', default: '3' },
      ms: { type: 'string', default: '200' },
      filter: { type: 'string' },
      'no-wasm-pass': { type: 'boolean' },
      results: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  await buildWebRunner()
  console.log(`built ${WEB_DIST} (serve it with: parley bench serve [--host 0.0.0.0])`)
  if (!values.run) return 0
  const run = await runInChromium({
    dir: WEB_DIST,
    rounds: Number(values.rounds),
    sliceMs: Number(values.ms),
    filter: values.filter,
    noWasmPass: values['no-wasm-pass'] !== true,
    timeoutMs: 30 * 60_000,
  })
  for (const pass of run.document.passes) {
    console.log(describeRuntime(pass.runtime))
    for (const c of pass.cases)
      console.log(
        `  ${c.id}  ${c.median === null ? `skipped: ${c.skipReason}` : `${c.median.toPrecision(3)} ${c.unit}`}`,
      )
  }
  if (values.results !== undefined) {
    await writeFile(values.results, `${JSON.stringify(run.document, null, 2)}\n`)
    console.log(`wrote ${values.results}`)
  }
  return run.pageErrors.length === 0 ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error)
    process.exitCode = 1
  },
)
