/** `pnpm bench`: runs the selected cases against the native reference and reports. */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UnsupportedError } from '@parley/interfaces'
import { type BenchOptions, DEFAULT_ROUNDS, parseBenchArgs, USAGE } from './args.ts'
import { countInstructions, formatCounts } from './count.ts'
import { type Progress, runBenchmarks, selectCases } from './harness.ts'
import { withInProcessReferences } from './in-process.ts'
import { machineInfo } from './machine.ts'
import { NativeReference } from './native.ts'
import { formatReport, toJsonRecords, toMeta } from './report.ts'
import {
  measuredRecord,
  type ResultsDocument,
  type ResultsPass,
  resultsDocument,
  validateResults,
} from './results.ts'
import { describeRuntime, disableWasm, runtimeInfo } from './runtime.ts'
import type { BenchCase } from './types.ts'

function progressLine(p: Progress): string {
  const round = p.round === 0 ? 'warm-up' : `round ${p.round}/${p.rounds}`
  return `${round}  case ${p.caseIndex}/${p.cases}  ${p.id}${p.side === 'native' ? ' (native)' : ''}`
}

function showProgress(p: Progress): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${progressLine(p)}`)
  else if (p.side === 'js') process.stderr.write(`${progressLine(p)}\n`)
}

/** `--matrix`: the same run again in a child without WebAssembly; returns its pass. */
async function noWasmPass(argv: readonly string[]): Promise<ResultsPass> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'))
  try {
    const file = join(dir, 'no-wasm.json')
    const args = argv.filter((arg) => arg !== '--matrix' && arg !== '--')
    const without = (flag: string) => {
      const at = args.indexOf(flag)
      if (at >= 0) args.splice(at, 2)
    }
    without('--json')
    without('--results')
    const script = fileURLToPath(import.meta.url)
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args, '--no-wasm', '--results', file], {
        stdio: 'inherit',
      })
      child.on('error', reject)
      child.on('close', resolve)
    })
    if (code !== 0) throw new UnsupportedError(`the no-WASM pass exited ${code}`)
    const document = JSON.parse(await readFile(file, 'utf8')) as ResultsDocument
    return document.passes[0]!
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function writeResults(file: string, document: ResultsDocument): Promise<void> {
  const errors = validateResults(document)
  if (errors.length > 0) throw new TypeError(`results do not match the schema: ${errors.join('; ')}`)
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`)
  process.stderr.write(`wrote ${file}\n`)
}

async function timedPass(options: BenchOptions, cases: BenchCase[]): Promise<ResultsPass> {
  process.stderr.write('building the native reference (cached after the first run)...\n')
  const reference = await NativeReference.create()
  if (reference.build.error !== undefined)
    process.stderr.write(`native reference: ${reference.build.error}\n`)
  for (const [feature, reason] of reference.build.missing) process.stderr.write(`no ${feature}: ${reason}\n`)

  const machine = machineInfo(reference.info) // before the run, so the load average is other processes'
  const runtime = runtimeInfo()
  const results = await runBenchmarks({
    cases,
    reference: withInProcessReferences(reference, cases),
    rounds: options.rounds,
    sliceMs: options.sliceMs,
    onProgress: showProgress,
  })
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')

  const settings = { rounds: options.rounds, sliceMs: options.sliceMs, filter: options.filter ?? null }
  const describe = `${options.rounds} interleaved rounds of ${options.sliceMs} ms per case and side, after a warm-up round`
  console.log(`runtime: ${describeRuntime(runtime)}`)
  console.log(formatReport(results, machine, describe))
  if (options.json !== undefined) {
    await writeFile(options.json, `${JSON.stringify(toJsonRecords(results), null, 2)}\n`)
    await writeFile(
      `${options.json}.meta.json`,
      `${JSON.stringify(toMeta(results, machine, settings), null, 2)}\n`,
    )
    process.stderr.write(`wrote ${options.json} and ${options.json}.meta.json\n`)
  }
  return { runtime, cases: results.map(measuredRecord) }
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv)
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  // before any provider loads: they look for WebAssembly once, when their module is evaluated
  if (options.noWasm) disableWasm()
  // Through the environment, so the passes run in child processes fill the same archive size.
  if (options.archiveSize !== undefined) process.env.PARLEY_BENCH_ARCHIVE_SIZE = String(options.archiveSize)
  const { portableCases, noWasmSkippedRecords } = await import('./cases/portable.ts')
  // some case modules need WebAssembly to load at all: without it only the portable ones run
  const all = options.noWasm ? await portableCases() : await (await import('./cases/index.ts')).loadCases()
  const skipped = options.noWasm ? noWasmSkippedRecords(options.filter) : []
  const cases = selectCases(all, options.filter)
  if (options.list) {
    for (const c of cases) console.log(`${c.id}  ${c.unit}  ${c.provider ?? ''}`)
    return 0
  }
  if (cases.length === 0) {
    console.error(`No case id contains ${JSON.stringify(options.filter)} (see --list)`)
    return 2
  }

  const passes: ResultsPass[] = []
  if (options.instructions) {
    // five rounds, median, unless --rounds says otherwise
    const rounds = options.rounds === DEFAULT_ROUNDS ? 5 : options.rounds
    for (const noWasm of options.matrix ? [options.noWasm, true] : [options.noWasm]) {
      process.stderr.write(
        `counting instructions under callgrind${noWasm ? ' without WebAssembly' : ''}...\n`,
      )
      const pass = await countInstructions({
        cases: noWasm ? selectCases(await portableCases(), options.filter) : cases,
        ops: options.ops,
        rounds,
        noWasm,
      })
      if (noWasm) pass.cases.push(...noWasmSkippedRecords(options.filter))
      console.log(formatCounts(pass, options.ops))
      passes.push(pass)
    }
  } else {
    const pass = await timedPass(options, cases)
    pass.cases.push(...skipped)
    passes.push(pass)
    if (options.matrix) passes.push(await noWasmPass(argv))
  }
  if (options.results !== undefined) {
    const settings = {
      rounds: options.rounds,
      sliceMs: options.instructions ? null : options.sliceMs,
      operations: options.instructions ? options.ops : null,
      filter: options.filter ?? null,
    }
    await writeResults(
      options.results,
      resultsDocument(options.instructions ? 'instructions' : 'wall-clock', settings, passes),
    )
  }
  return 0
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
