/**
 * What the envelope cases added to the harness: teardown, in-process references, absolute
 * throughput targets, and a case's own note on why it has no reference.
 */
import { describe, expect, it } from 'vitest'
import { parseBenchArgs } from '../src/args.ts'
import { runBenchmarks } from '../src/harness.ts'
import { withInProcessReferences } from '../src/in-process.ts'
import { cpuClock } from '../src/measure.ts'
import { formatReport } from '../src/report.ts'
import { checkTarget, describeTarget, RECEIVE_PIPELINE_TARGET } from '../src/targets.ts'
import type { BenchCase, ReferenceRunner } from '../src/types.ts'

const noNative: ReferenceRunner = {
  unavailable: () => 'no native program in this test',
  measure: () => Promise.reject(new Error('not called')),
}

describe('teardown', () => {
  it('runs for every case set up, in reverse, also when a round fails', async () => {
    const calls: string[] = []
    const make = (id: string, fail = false): BenchCase => ({
      id,
      group: id,
      unit: 'ops/s',
      setup: () => void calls.push(`setup ${id}`),
      teardown: () => void calls.push(`teardown ${id}`),
      runFor: async () => {
        if (fail) throw new Error('round failed')
        return { value: 1, samples: 1 }
      },
    })
    await expect(
      runBenchmarks({ cases: [make('a'), make('b', true)], reference: noNative, rounds: 1, sliceMs: 1 }),
    ).rejects.toThrow('round failed')
    expect(calls).toEqual(['setup a', 'setup b', 'teardown b', 'teardown a'])
  })
})

describe('in-process references', () => {
  it('are measured in the rounds like a native one and named in the report', async () => {
    let referenceRuns = 0
    const benchCase: BenchCase = {
      id: 'open',
      group: 'open',
      unit: 'ops/s',
      reference: 'js:floor',
      inProcessReference: {
        id: 'js:floor',
        describe: 'the floor',
        run: (n) => {
          referenceRuns += n
          return undefined
        },
      },
      run: () => undefined,
    }
    const reference = withInProcessReferences(noNative, [benchCase])
    expect(reference.unavailable('js:floor')).toBeUndefined()
    expect(reference.unavailable('js:other')).toMatch(/no in-process reference/)
    expect(reference.unavailable('aes-256-gcm-1k')).toBe('no native program in this test')
    const [result] = await runBenchmarks({ cases: [benchCase], reference, rounds: 2, sliceMs: 5 })
    expect(referenceRuns).toBeGreaterThan(0)
    expect(result!.referenceRounds).toHaveLength(2)
    expect(result!.ratio).not.toBeNull()
    expect(result!.inProcessReference).toBe('the floor')
    const machine = {
      cpu: 'cpu',
      cores: 1,
      memoryGiB: 1,
      os: 'os',
      arch: 'x64',
      node: '24',
      v8: '13',
      nodeOpenssl: '3',
      native: { compiler: undefined, openssl: undefined, secp256k1: false },
      loadAverage: 0,
      date: 'now',
    }
    expect(formatReport([result!], machine, 'settings')).toContain('open: the floor')
  })
})

describe('absolute throughput targets', () => {
  it('are met at or above the bound and say by how much they are missed', () => {
    expect(RECEIVE_PIPELINE_TARGET).toEqual({ minMedian: 5000 })
    const result = { median: 5000, ratio: null, unit: 'ops/s' as const }
    expect(checkTarget(result, RECEIVE_PIPELINE_TARGET)).toEqual({
      met: true,
      goal: '≥ 5000 ops/s',
      shortfall: '',
    })
    expect(checkTarget({ ...result, median: 4000 }, RECEIVE_PIPELINE_TARGET)).toEqual({
      met: false,
      goal: '≥ 5000 ops/s',
      shortfall: '4000 ops/s is 20% below 5000',
    })
    expect(describeTarget(RECEIVE_PIPELINE_TARGET, 'ops/s')).toBe('≥ 5000 ops/s')
  })

  it("report a case's own reason for having no reference", async () => {
    const [result] = await runBenchmarks({
      cases: [
        {
          id: 'bloom',
          group: 'bloom',
          unit: 'ops/s',
          referenceNote: 'nothing to compare',
          runFor: async () => ({ value: 1, samples: 1 }),
        },
      ],
      reference: noNative,
      rounds: 1,
      sliceMs: 1,
    })
    expect(result!.referenceNote).toBe('nothing to compare')
  })
})

describe('cpuClock', () => {
  it('advances with work done here and not with time spent waiting', async () => {
    const began = cpuClock()
    const deadline = performance.now() + 5000
    while (cpuClock() - began < 10 && performance.now() < deadline) Math.sqrt(Math.random())
    expect(cpuClock() - began).toBeGreaterThanOrEqual(10)
    const beforeSleep = cpuClock()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(cpuClock() - beforeSleep).toBeLessThan(50)
  })
})

describe("arguments after pnpm's --", () => {
  it('are read as options, as `pnpm bench -- --filter x` passes them', () => {
    expect(parseBenchArgs(['--', '--filter', 'relay', '--rounds', '2'])).toMatchObject({
      filter: 'relay',
      rounds: 2,
    })
    expect(() => parseBenchArgs(['--filter', 'a', '--', 'stray'])).toThrow(/positional/)
  })
})
