import { describe, expect, it } from 'vitest'
import { type Progress, runBenchmarks, selectCases, speedRatio } from '../src/harness.ts'
import { measureRate } from '../src/measure.ts'
import type { BenchCase, ReferenceRunner, SliceResult } from '../src/types.ts'

/** A fake clock, and a case whose operations cost `costMs[round]` of it. */
function fakeTimedCase(id: string, costMs: readonly number[], reference?: string) {
  let now = 0
  let round = 0
  const benchCase: BenchCase = {
    id,
    group: id,
    unit: 'ops/s',
    reference,
    run(iterations) {
      now += iterations * costMs[round]!
      return undefined
    },
  }
  return {
    benchCase,
    clock: () => now,
    onProgress: (p: Progress) => {
      if (p.side === 'js' && p.id === id) round = p.round
    },
  }
}

/** A reference that returns `values[round - 1]` and logs every call. */
function fakeReference(values: readonly number[], calls: string[], unavailable = new Map<string, string>()) {
  const runner: ReferenceRunner = {
    unavailable: (id) => unavailable.get(id),
    async measure(id, _ms, offset): Promise<SliceResult> {
      calls.push(`native ${id} ${offset}`)
      return { value: values[offset - 1]!, samples: 1 }
    },
  }
  return runner
}

describe('measureRate', () => {
  it('counts work units over the time taken', async () => {
    let now = 0
    // each iteration costs 0.01 ms and hashes 4 units: 400 000 units/s
    const result = await measureRate(
      (n) => {
        now += n * 0.01
        return n * 4
      },
      100,
      () => now,
    )
    expect(result.value).toBeCloseTo(400_000, 6)
    expect(result.samples).toBeGreaterThan(0)
  })
})

describe('runBenchmarks', () => {
  it('reports median, min and max over the measured rounds and the ratio to the reference median', async () => {
    // warm-up 1 ms/op, then 0.5, 0.25 and 1 ms/op: 2000, 4000 and 1000 ops/s
    const fake = fakeTimedCase('fake', [1, 0.5, 0.25, 1], 'ref')
    const calls: string[] = []
    const [result] = await runBenchmarks({
      cases: [fake.benchCase],
      reference: fakeReference([1000, 8000, 4000], calls),
      rounds: 3,
      sliceMs: 100,
      clock: fake.clock,
      onProgress: fake.onProgress,
    })
    expect(result!.rounds.map(Math.round)).toEqual([2000, 4000, 1000])
    expect(result!.median).toBeCloseTo(2000, 6)
    expect(result!.min).toBeCloseTo(1000, 6)
    expect(result!.max).toBeCloseTo(4000, 6)
    expect(result!.reference).toBe(4000)
    expect(result!.referenceRounds).toEqual([1000, 8000, 4000])
    expect(result!.ratio).toBeCloseTo(0.5, 6)
    // the warm-up has no native run; the rounds carry their number as the input offset
    expect(calls).toEqual(['native ref 1', 'native ref 2', 'native ref 3'])
  })

  it('alternates which side goes first and measures a shared reference once per round', async () => {
    const order: string[] = []
    const jsCase = (id: string): BenchCase => ({
      id,
      group: 'g',
      unit: 'ops/s',
      reference: 'shared',
      runFor: async (_ms, round) => {
        if (round > 0) order.push(`js ${id} ${round}`)
        return { value: 10, samples: 1 }
      },
    })
    const results = await runBenchmarks({
      cases: [jsCase('a'), jsCase('b')],
      reference: fakeReference([20, 20], order),
      rounds: 2,
      sliceMs: 1,
    })
    expect(order).toEqual(['native shared 1', 'js a 1', 'js b 1', 'js a 2', 'native shared 2', 'js b 2'])
    expect(results.map((r) => r.ratio)).toEqual([0.5, 0.5])
  })

  it('inverts the ratio for latencies, so that 1 still means as fast as native', async () => {
    const latencies = [9, 2, 1, 3]
    const [result] = await runBenchmarks({
      cases: [
        {
          id: 'lat',
          group: 'lat',
          unit: 'ms',
          reference: 'ref',
          runFor: async (_ms, round) => ({
            value: latencies[round]!,
            p90: latencies[round]! * 2,
            samples: 5,
          }),
        },
      ],
      reference: fakeReference([1, 1, 1], []),
      rounds: 3,
      sliceMs: 1,
    })
    expect(result).toMatchObject({ median: 2, min: 1, max: 3, p90: 4, reference: 1, ratio: 0.5 })
  })

  it('reports n/a with the reason when the reference is unavailable or fails, and keeps going', async () => {
    const calls: string[] = []
    const reference = fakeReference([], calls, new Map([['missing', 'no OpenSSL']]))
    const broken: ReferenceRunner = {
      unavailable: () => undefined,
      measure: () => Promise.reject(new Error('exit code 1')),
    }
    const constant = (id: string, ref: string): BenchCase => ({
      id,
      group: id,
      unit: 'ops/s',
      reference: ref,
      runFor: async () => ({ value: 5, samples: 1 }),
    })
    const [missing] = await runBenchmarks({
      cases: [constant('m', 'missing')],
      reference,
      rounds: 2,
      sliceMs: 1,
    })
    expect(calls).toEqual([])
    expect(missing).toMatchObject({ median: 5, reference: null, ratio: null, referenceNote: 'no OpenSSL' })

    const [failed] = await runBenchmarks({
      cases: [constant('f', 'x')],
      reference: broken,
      rounds: 2,
      sliceMs: 1,
    })
    expect(failed).toMatchObject({ median: 5, reference: null, ratio: null })
    expect(failed!.referenceNote).toContain('exit code 1')
  })
})

describe('argument checks', () => {
  it('rejects impossible settings and cases that cannot run', async () => {
    const reference = fakeReference([], [])
    await expect(runBenchmarks({ cases: [], reference, rounds: 0, sliceMs: 1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
    const idle: BenchCase = { id: 'idle', group: 'idle', unit: 'ops/s' }
    await expect(runBenchmarks({ cases: [idle], reference, rounds: 1, sliceMs: 1 })).rejects.toThrow(
      /neither run nor runFor/,
    )
  })
})

describe('aborting', () => {
  it('stops between slices and passes the signal to the native side', async () => {
    const controller = new AbortController()
    const signals: (AbortSignal | undefined)[] = []
    const reference: ReferenceRunner = {
      unavailable: () => undefined,
      async measure(_id, _ms, _offset, options) {
        signals.push(options?.signal)
        controller.abort()
        return { value: 1, samples: 1 }
      },
    }
    const benchCase: BenchCase = {
      id: 'c',
      group: 'c',
      unit: 'ops/s',
      reference: 'r',
      runFor: async () => ({ value: 1, samples: 1 }),
    }
    await expect(
      runBenchmarks({
        cases: [benchCase, { ...benchCase, id: 'd', reference: 's' }],
        reference,
        rounds: 3,
        sliceMs: 1,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    expect(signals).toEqual([controller.signal])
  })
})

describe('selectCases and speedRatio', () => {
  const cases = [{ id: 'keccak256-1k/wasm' }, { id: 'keccak256-1k/js' }, { id: 'secp256k1-sign/wasm' }]

  it('filters on a substring of the id', () => {
    expect(selectCases(cases, '/wasm').map((c) => c.id)).toEqual(['keccak256-1k/wasm', 'secp256k1-sign/wasm'])
    expect(selectCases(cases, 'keccak').length).toBe(2)
    expect(selectCases(cases, undefined).length).toBe(3)
    expect(selectCases(cases, 'nothing')).toEqual([])
    expect(selectCases(cases, 'sign/wasm,1k/js').map((c) => c.id)).toEqual([
      'keccak256-1k/js',
      'secp256k1-sign/wasm',
    ])
    expect(selectCases(cases, ',').length).toBe(3)
  })

  it('has no ratio without a positive reference', () => {
    expect(speedRatio('ops/s', 10, null)).toBeNull()
    expect(speedRatio('ops/s', 10, 0)).toBeNull()
    expect(speedRatio('hashes/s', 10, 40)).toBe(0.25)
    expect(speedRatio('ms', 4, 1)).toBe(0.25)
  })
})
