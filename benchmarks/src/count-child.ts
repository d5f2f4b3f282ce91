/**
 * The process `pnpm bench --instructions` runs under callgrind. It calls `os.uptime()` as a marker
 * (callgrind is told `--dump-before=uv_uptime`, so each call closes one dump file) around every
 * measured segment. Per case: a warm-up of at least WARM_MS (so the JIT and the WASM tier settle),
 * a segment size n doubled from OPS until one run takes SEGMENT_MS (so a one-off cost is small next
 * to it), then rounds of n operations and of 2n. The difference of the two counts over the extra
 * units of work is the cost of one operation, with the fixed costs (the marker, the call into the
 * case) cancelled out. A full GC runs before each segment, in a dump of its own, so each segment
 * starts from the same heap state and its scavenges grow with its allocations; the event loop
 * turns before each segment, so pending compile jobs and tasks run outside it.
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

/** wall-clock ms under valgrind, roughly 50× slower than natively */
const WARM_MS = 400
const SEGMENT_MS = 150
const MAX_SEGMENT = 2 ** 24

/**
 * One turn of the event loop: with --single-threaded, V8's compile and tier-up jobs and Node's
 * platform tasks run as tasks on this thread, so they are let run between segments, not in one.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** `--expose-gc` gives a global gc(); without it (a plain run, the test) this does nothing */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

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
  // the portable modules load in a fraction of the time of all of them (libp2p, stores), which
  // matters at valgrind's speed; without WebAssembly the others do not load at all
  const portable = await (await import('./cases/portable.ts')).portableCases()
  const elsewhere = ids.some((id) => !portable.some((c) => c.id === id))
  const cases = noWasm || !elsewhere ? portable : await (await import('./cases/index.ts')).loadCases()
  const segments: CountSegment[] = []
  for (const id of ids) {
    const c = cases.find((candidate) => candidate.id === id)
    // a provider that does not load here (WASM in a no-WASM run): the parent reports it as skipped
    if (c?.run === undefined) continue
    await c.setup?.()
    try {
      const warmEnd = performance.now() + WARM_MS
      for (let calls = 0; calls < 3 || performance.now() < warmEnd; calls++) {
        await runUnits(c, ops)
        await turn()
      }
      let n = ops
      for (;;) {
        const began = performance.now()
        await runUnits(c, n)
        await turn()
        if (performance.now() - began >= SEGMENT_MS || n >= MAX_SEGMENT) break
        n *= 2
      }
      for (let round = 1; round <= rounds; round++) {
        for (const size of [1, 2] as const) {
          collect()
          for (let i = 0; i < 3; i++) await turn()
          mark()
          const units = await runUnits(c, n * size)
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
