/**
 * The instruction-count mode's arithmetic and its child's segment plan. The callgrind run itself
 * is CI's instruction-count pass (.ci/run), which takes about a minute under valgrind.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { formatCounts, parseCallgrindTotal, perOperation } from '../src/count.ts'
import type { CountSegment } from '../src/count-child.ts'
import { runtimeInfo } from '../src/runtime.ts'

describe('callgrind arithmetic', () => {
  it('reads the totals line of a dump', () => {
    const dump =
      'version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 17583151\n\nfn=x\n0 3\ntotals: 17583151\n'
    expect(parseCallgrindTotal(dump)).toBe(17583151)
    expect(() => parseCallgrindTotal('events: Ir\n')).toThrow(/totals/)
  })

  it('takes (I(2n) − I(n)) / (units(2n) − units(n)) per round, so fixed costs cancel', () => {
    const segments: CountSegment[] = [
      { id: 'a', round: 1, size: 1, units: 100, dump: 2 },
      { id: 'a', round: 1, size: 2, units: 200, dump: 3 },
      { id: 'a', round: 2, size: 1, units: 100, dump: 4 },
      { id: 'a', round: 2, size: 2, units: 200, dump: 5 },
    ]
    // 5000 fixed + 300 per op in round 1, 5000 fixed + 310 per op in round 2
    const totals = new Map([
      [2, 5000 + 100 * 300],
      [3, 5000 + 200 * 300],
      [4, 5000 + 100 * 310],
      [5, 5000 + 200 * 310],
    ])
    expect(perOperation(segments, totals)).toEqual([300, 310])
    // a PoW search counts hashes, not calls
    const hashes: CountSegment[] = [
      { id: 'p', round: 1, size: 1, units: 4000, dump: 2 },
      { id: 'p', round: 1, size: 2, units: 8000, dump: 3 },
    ]
    expect(
      perOperation(
        hashes,
        new Map([
          [2, 1_000_000],
          [3, 1_800_000],
        ]),
      ),
    ).toEqual([200])
    expect(perOperation(hashes, new Map([[2, 1]]))).toEqual([])
  })

  it('prints one line per case, skipped ones with their reason', () => {
    const text = formatCounts(
      {
        runtime: runtimeInfo(),
        cases: [
          {
            id: 'keccak256-1k/wasm',
            group: 'keccak256-1k',
            unit: 'instructions/op',
            status: 'measured',
            skipReason: null,
            provider: 'wasm (hash-wasm)',
            providerKind: 'wasm',
            median: 41917,
            min: 41917,
            max: 41920,
            rounds: [41917, 41920],
            reference: null,
            ratio: null,
            referenceNote: null,
          },
        ],
      },
      200,
    )
    expect(text).toMatch(/difference of n and 2n operations, n ≥ 200/)
    expect(text).toMatch(/keccak256-1k\/wasm\s+41,917 {2}\(min 41917, max 41920\)/)
  })
})

describe('count child', () => {
  it('marks a GC and then each segment of n and 2n operations, one dump per segment', async () => {
    const child = fileURLToPath(new URL('../src/count-child.ts', import.meta.url))
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [child, '3', '2', 'keccak256-64b/js', 'pow-nonce-search/js', 'no-such-case/js'],
      { timeout: 60_000 },
    )
    const segments = JSON.parse(stdout.trim()) as CountSegment[]
    expect(segments.map((s) => [s.id, s.round, s.size])).toEqual([
      ['keccak256-64b/js', 1, 1],
      ['keccak256-64b/js', 1, 2],
      ['keccak256-64b/js', 2, 1],
      ['keccak256-64b/js', 2, 2],
      ['pow-nonce-search/js', 1, 1],
      ['pow-nonce-search/js', 1, 2],
      ['pow-nonce-search/js', 2, 1],
      ['pow-nonce-search/js', 2, 2],
    ])
    for (const [i, segment] of segments.entries()) {
      // n grows from --ops by doubling, until a run takes long enough to dwarf one-off costs
      const n = segment.size === 1 ? segment.units : segment.units / 2
      expect(n).toBeGreaterThanOrEqual(3)
      expect(Math.log2(n / 3) % 1).toBe(0)
      if (segment.size === 2) expect(segment.units).toBe(2 * segments[i - 1]!.units)
    }
    // every segment opens with the mark that closes its GC's dump, so dumps go 2 by 2
    expect(segments.map((s) => s.dump)).toEqual([2, 4, 6, 8, 10, 12, 14, 16])
  }, 60_000)
})
