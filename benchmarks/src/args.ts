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
}

export const DEFAULT_ROUNDS = 7
export const DEFAULT_SLICE_MS = 300

export const USAGE = `usage: pnpm bench [--filter SUBSTRING] [--json FILE] [--rounds N] [--ms MS] [--list]

  --filter SUBSTRING  run only the cases whose id contains SUBSTRING
  --json FILE         also write [{id, unit, median, min, max, reference, ratio}] to FILE
                      and the machine, settings and per-round figures to FILE.meta.json
  --rounds N          measured rounds, default ${DEFAULT_ROUNDS} (plus one warm-up round)
  --ms MS             slice per case and side in each round, default ${DEFAULT_SLICE_MS}
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (cause) {
    throw new InvalidParametersError(cause instanceof Error ? cause.message : String(cause), { cause })
  }
  const text = (name: string) => values[name] as string | undefined
  return {
    json: text('json'),
    filter: text('filter'),
    rounds: positiveInteger('rounds', text('rounds'), DEFAULT_ROUNDS),
    sliceMs: positiveInteger('ms', text('ms'), DEFAULT_SLICE_MS),
    list: values.list === true,
    help: values.help === true,
  }
}
