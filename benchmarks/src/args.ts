/** Command-line options of `pnpm bench`. */
import { parseArgs } from 'node:util'
import { InvalidParametersError } from '@parley/interfaces'

export interface BenchOptions {
  json: string | undefined
  filter: string | undefined
  rounds: number
  sliceMs: number
  list: boolean
  help: boolean
  /** write the results document (results.ts) here */
  results: string | undefined
  /** remove WebAssembly before the providers load: what a runtime without it gets */
  noWasm: boolean
  /** after this pass, a second one without WebAssembly, in a child process; both go to --results */
  matrix: boolean
  /** count instructions per operation under valgrind instead of timing */
  instructions: boolean
  /** operations per instruction-count run (the two runs differ by this many) */
  ops: number
  /** envelopes archived before the archive cases time anything (cases/archive.ts) */
  archiveSize: number | undefined
}

export const DEFAULT_ROUNDS = 7
export const DEFAULT_SLICE_MS = 300
export const DEFAULT_OPS = 1

export const USAGE = `usage: pnpm bench [--filter SUBSTRING] [--json FILE] [--results FILE] [--rounds N] [--ms MS]
                  [--no-wasm | --matrix] [--instructions [--ops N]] [--list]

  --filter SUBSTRING  run only the cases whose id contains SUBSTRING (a,b: either)
  --json FILE         also write [{id, unit, median, min, max, reference, ratio}] to FILE
                      and the machine, settings and per-round figures to FILE.meta.json
  --rounds N          measured rounds, default ${DEFAULT_ROUNDS} (plus one warm-up round)
  --ms MS             slice per case and side in each round, default ${DEFAULT_SLICE_MS}
  --results FILE      write the results document (runtime, providers, rounds; the schema the
                      browser page downloads and bench:compare / bench:report read)
  --no-wasm           remove WebAssembly before loading the providers (a Hermes-like runtime)
  --matrix            also run every case again without WebAssembly; both passes in --results
  --instructions      instructions per operation under valgrind (callgrind, segments of n and 2n
                      operations) instead of wall-clock rounds; --rounds repeats it (default 5)
  --ops N             least operations per instruction-count segment, default ${DEFAULT_OPS}
                      (grown until a segment takes 150 ms under valgrind)
  --archive-size N    envelopes in the archive the archive-* cases fill first, default 20000
                      (the issue's targets are stated at 1000000; also PARLEY_BENCH_ARCHIVE_SIZE)
  --list              print the case ids and exit`

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidParametersError(`--${name} needs a positive integer, got ${JSON.stringify(text)}`)
  }
  return value
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  // `pnpm bench -- --filter x` hands the script a leading `--`, after which parseArgs sees only positionals
  const args = argv[0] === '--' ? argv.slice(1) : [...argv]
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        json: { type: 'string' },
        filter: { type: 'string' },
        rounds: { type: 'string' },
        ms: { type: 'string' },
        list: { type: 'boolean' },
        results: { type: 'string' },
        'no-wasm': { type: 'boolean' },
        matrix: { type: 'boolean' },
        instructions: { type: 'boolean' },
        ops: { type: 'string' },
        'archive-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (cause) {
    throw new InvalidParametersError(cause instanceof Error ? cause.message : String(cause), { cause })
  }
  if (values['no-wasm'] === true && values.matrix === true)
    throw new InvalidParametersError('--matrix already includes a --no-wasm pass; give one of them')
  const text = (name: string) => values[name] as string | undefined
  return {
    json: text('json'),
    filter: text('filter'),
    rounds: positiveInteger('rounds', text('rounds'), DEFAULT_ROUNDS),
    sliceMs: positiveInteger('ms', text('ms'), DEFAULT_SLICE_MS),
    list: values.list === true,
    help: values.help === true,
    results: text('results'),
    noWasm: values['no-wasm'] === true,
    matrix: values.matrix === true,
    instructions: values.instructions === true,
    ops: positiveInteger('ops', text('ops'), DEFAULT_OPS),
    archiveSize:
      text('archive-size') === undefined
        ? undefined
        : positiveInteger('archive-size', text('archive-size'), 0),
  }
}
