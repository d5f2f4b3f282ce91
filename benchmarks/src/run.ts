/** `pnpm bench`: runs the selected cases against the native reference and reports. */
import { writeFile } from 'node:fs/promises'
import { parseBenchArgs, USAGE } from './args.ts'
import { loadCases } from './cases/index.ts'
import { type Progress, runBenchmarks, selectCases } from './harness.ts'
import { withInProcessReferences } from './in-process.ts'
import { machineInfo } from './machine.ts'
import { NativeReference } from './native.ts'
import { formatReport, toJsonRecords, toMeta } from './report.ts'

function progressLine(p: Progress): string {
  const round = p.round === 0 ? 'warm-up' : `round ${p.round}/${p.rounds}`
  return `${round}  case ${p.caseIndex}/${p.cases}  ${p.id}${p.side === 'native' ? ' (native)' : ''}`
}

function showProgress(p: Progress): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${progressLine(p)}`)
  else if (p.side === 'js') process.stderr.write(`${progressLine(p)}\n`)
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv)
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  const cases = selectCases(await loadCases(), options.filter)
  if (options.list) {
    for (const c of cases) console.log(`${c.id}  ${c.unit}  ${c.provider ?? ''}`)
    return 0
  }
  if (cases.length === 0) {
    console.error(`No case id contains ${JSON.stringify(options.filter)} (see --list)`)
    return 2
  }

  process.stderr.write('building the native reference (cached after the first run)...\n')
  const reference = await NativeReference.create()
  if (reference.build.error !== undefined)
    process.stderr.write(`native reference: ${reference.build.error}\n`)
  for (const [feature, reason] of reference.build.missing) process.stderr.write(`no ${feature}: ${reason}\n`)

  const machine = machineInfo(reference.info) // before the run, so the load average is other processes'
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
  console.log(formatReport(results, machine, describe))
  if (options.json !== undefined) {
    await writeFile(options.json, `${JSON.stringify(toJsonRecords(results), null, 2)}\n`)
    await writeFile(
      `${options.json}.meta.json`,
      `${JSON.stringify(toMeta(results, machine, settings), null, 2)}\n`,
    )
    process.stderr.write(`wrote ${options.json} and ${options.json}.meta.json\n`)
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
