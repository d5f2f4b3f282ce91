/**
 * The process `pnpm bench --instructions` runs under callgrind. It calls `os.uptime()` as a marker
 * (callgrind is told `--dump-before=uv_uptime`, so each call closes one dump file) around every
 * measured segment: per case, after a warm-up, rounds of `ops` operations and then `2 × ops`; the
 * difference of the two counts, over the extra units of work, is the cost of one operation with
 * the fixed costs (the marker, the call into the case) cancelled out.
 *
 * Usage: count-child.js [--no-wasm] OPS ROUNDS CASE_ID...; prints one JSON line of segments.
 */
import { uptime } from 'node:os'
import { disableWasm } from './runtime.ts'
import type { BenchCase } from './types.ts'

export interface CountSegment {
  id: string
  round: number
  /** 1 for `ops` operations, 2 for `2 × ops` */
  size: 1 | 2
  /** the units of work the segment did (hashes for a PoW search) */
  units: number
  /** the callgrind dump file (`out.N`) holding exactly this segment */
  dump: number
}

let marks = 0
function mark(): number {
  uptime()
  marks += 1
  return marks
}

async function runUnits(c: BenchCase, iterations: number): Promise<number> {
  const done = await c.run!(iterations)
  return done ?? iterations
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv]
  const noWasm = args[0] === '--no-wasm'
  if (noWasm) {
    args.shift()
    disableWasm()
  }
  const [opsText, roundsText, ...ids] = args
  const ops = Number(opsText)
  const rounds = Number(roundsText)
  const cases = noWasm
    ? await (await import('./cases/portable.ts')).portableCases()
    : await (await import('./cases/index.ts')).loadCases()
  const segments: CountSegment[] = []
  for (const id of ids) {
    const c = cases.find((candidate) => candidate.id === id)
    // a provider that does not load here (WASM in a no-WASM run): the parent reports it as skipped
    if (c?.run === undefined) continue
    await c.setup?.()
    try {
      // enough for the JIT to settle on its optimised code before anything is counted
      for (let warm = 0; warm < 3; warm++) await runUnits(c, ops)
      mark()
      for (let round = 1; round <= rounds; round++) {
        for (const size of [1, 2] as const) {
          const units = await runUnits(c, ops * size)
          segments.push({ id, round, size, units, dump: mark() })
        }
      }
    } finally {
      await c.teardown?.()
    }
  }
  process.stdout.write(`${JSON.stringify(segments)}\n`)
}

main(process.argv.slice(2)).then(
  () => {
    // relay/receive cases may leave handles; the counts are taken
    process.exit(0)
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error)
    process.exit(1)
  },
)
