/** The results schema, the regression gate of bench:compare, the charts and the runtime record. */
import { describe, expect, it } from 'vitest'
import { nodeOnlyRecords } from '../src/cases/portable.ts'
import { chartFileName, chartGroups, renderGroupSvg, renderHtml } from '../src/chart.ts'
import { compareResults, formatComparison } from '../src/compare.ts'
import { noReference, runPass } from '../src/pass.ts'
import {
  type CaseRecord,
  providerKindOf,
  type ResultsDocument,
  resultsDocument,
  validateResults,
} from '../src/results.ts'
import { describeRuntime, parseUserAgent, type RuntimeInfo, runtimeInfo } from '../src/runtime.ts'

const runtime: RuntimeInfo = { ...runtimeInfo(), wasmDisabled: false }

function record(id: string, median: number, overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id,
    group: id.split('/')[0]!,
    unit: 'instructions/op',
    status: 'measured',
    skipReason: null,
    provider: null,
    providerKind: providerKindOf({ id, provider: undefined }),
    median,
    min: median,
    max: median,
    rounds: [median],
    reference: null,
    ratio: null,
    referenceNote: null,
    ...overrides,
  }
}

function document(mode: ResultsDocument['mode'], cases: CaseRecord[]): ResultsDocument {
  return resultsDocument(mode, { rounds: 1, sliceMs: null, operations: 100, filter: null }, [
    { runtime, cases },
  ])
}

describe('results schema', () => {
  it('accepts what runPass produces, with the skipped cases and their reasons', async () => {
    let calls = 0
    const pass = await runPass({
      cases: [
        {
          id: 'spin/js',
          group: 'spin',
          unit: 'ops/s',
          provider: 'js (a loop)',
          reference: 'keccak256-1k',
          run(iterations) {
            for (let i = 0; i < iterations; i++) calls++
            return undefined
          },
        },
      ],
      reference: noReference('none in this test'),
      rounds: 2,
      sliceMs: 5,
      skipped: nodeOnlyRecords('spin'),
    })
    const doc = resultsDocument('wall-clock', { rounds: 2, sliceMs: 5, operations: null, filter: 'spin' }, [
      pass,
    ])
    expect(validateResults(JSON.parse(JSON.stringify(doc)))).toEqual([])
    expect(calls).toBeGreaterThan(0)
    expect(pass.cases[0]).toMatchObject({
      id: 'spin/js',
      providerKind: 'js',
      ratio: null,
      status: 'measured',
    })
    expect(pass.cases[0]!.referenceNote).toBe('none in this test')
    // a filter that no Node-only family could match still records the catch-all entries
    expect(pass.cases.slice(1).map((c) => c.id)).toEqual(['other cases', 'native reference'])
  })

  it('names what is wrong with a document', () => {
    expect(validateResults({})).toContain('$.schema: missing')
    const bad = document('instructions', [record('keccak256-1k/wasm', 1)])
    ;(bad.passes[0]!.cases[0] as { median: unknown }).median = 'fast'
    expect(validateResults(bad)).toContain('$.passes[0].cases[0].median: expected a finite number')
    const skipped = document('instructions', [record('x/js', 1, { status: 'skipped', skipReason: null })])
    expect(validateResults(skipped)).toEqual(['$.passes[0].cases[0]: skipped without a reason'])
  })

  it('reads the provider kind from the id suffix, else the provider', () => {
    expect(providerKindOf({ id: 'secp256k1-sign/native', provider: 'js?' })).toBe('native')
    expect(providerKindOf({ id: 'ecies-encrypt-1k', provider: 'wasm secp256k1 (tiny)' })).toBe('wasm')
    expect(providerKindOf({ id: 'seal-status', provider: 'seal() defaults' })).toBe('mixed')
  })
})

describe('bench:compare', () => {
  it('gates instruction counts at 3 % for WASM/native and 10 % for JavaScript', () => {
    const a = document('instructions', [
      record('keccak256-1k/wasm', 1000),
      record('secp256k1-sign/native', 1000),
      record('keccak256-1k/js', 1000),
      record('seal-status', 1000),
    ])
    const b = document('instructions', [
      record('keccak256-1k/wasm', 1031),
      record('secp256k1-sign/native', 1029),
      record('keccak256-1k/js', 1099),
      record('seal-status', 1101),
      record('new-case/js', 5),
    ])
    const result = compareResults(a, b)
    expect(result.map((c) => [c.key, c.regressed])).toEqual([
      ['keccak256-1k/wasm', true],
      ['secp256k1-sign/native', false],
      ['keccak256-1k/js', false],
      ['seal-status', true],
      ['new-case/js', false],
    ])
    expect(result[0]!.worse).toBeCloseTo(0.031)
    expect(formatComparison(result)).toMatch(/2 case\(s\) regressed/)
  })

  it('gates wall-clock runs on the ratio to native (10 %), not on ops/s', () => {
    const timed = (ratio: number | null, median: number) =>
      record('aes-256-gcm-1k/native', median, { unit: 'ops/s', ratio, reference: ratio === null ? null : 1 })
    const a = document('wall-clock', [timed(0.5, 1000)])
    expect(compareResults(a, document('wall-clock', [timed(0.46, 500)]))[0]).toMatchObject({
      regressed: false,
      basis: 'ratio',
    })
    expect(compareResults(a, document('wall-clock', [timed(0.45, 2000)]))[0]!.regressed).toBe(true)
    const noRatio = compareResults(
      document('wall-clock', [timed(null, 1000)]),
      document('wall-clock', [timed(null, 100)]),
    )
    expect(noRatio[0]).toMatchObject({ regressed: false, threshold: null, basis: 'ops/s' })
    expect(noRatio[0]!.worse).toBeCloseTo(9)
  })

  it('keeps no-WASM passes apart and refuses to mix modes', () => {
    const a = document('instructions', [record('keccak256-1k/js', 1000)])
    a.passes.push({ runtime: { ...runtime, wasmDisabled: true }, cases: [record('keccak256-1k/js', 2000)] })
    const b = document('instructions', [record('keccak256-1k/js', 1000)])
    b.passes.push({ runtime: { ...runtime, wasmDisabled: true }, cases: [record('keccak256-1k/js', 2500)] })
    expect(compareResults(a, b).map((c) => [c.key, c.regressed])).toEqual([
      ['keccak256-1k/js', false],
      ['no-wasm:keccak256-1k/js', true],
    ])
    expect(() => compareResults(a, document('wall-clock', []))).toThrow(/instructions run with a wall-clock/)
  })
})

describe('charts', () => {
  it('draws one SVG per hot path, a bar per provider and runtime, min–max whiskers', () => {
    const doc = document('wall-clock', [
      record('keccak256-1k/wasm', 100_000, {
        unit: 'ops/s',
        min: 90_000,
        max: 110_000,
        ratio: 0.8,
        reference: 1,
      }),
      record('keccak256-1k/js', 7_000, { unit: 'ops/s', min: 6_000, max: 8_000, ratio: 0.05, reference: 1 }),
      record('seal-status', 0.05, { group: 'seal', unit: 'ms' }),
    ])
    const groups = chartGroups([doc, doc])
    expect(groups.map((g) => [g.group, g.rows.length])).toEqual([
      ['keccak256-1k', 4],
      ['seal', 2],
    ])
    expect(groups[0]!.rows.map((r) => r.label)).toEqual([
      `${runtime.runtime} · wasm`,
      `${runtime.runtime} · js`,
      `${runtime.runtime} #2 · wasm`,
      `${runtime.runtime} #2 · js`,
    ])
    const svg = renderGroupSvg(groups[0]!)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg).toContain('>0.80<')
    expect(svg).toContain('>100k<')
    expect(renderGroupSvg(groups[1]!)).toContain('no native figure')
    expect(chartFileName('a b/c')).toBe('a_b_c.svg')
    expect(renderHtml(groups, 'T <x>')).toContain('<title>T &#60;x&#62;</title>')
  })
})

describe('runtime record', () => {
  it('knows Node here: V8 version, JIT, WASM and SIMD, cores, OS and CPU', () => {
    const info = runtimeInfo()
    expect(info).toMatchObject({ kind: 'node', engine: 'V8', jit: true, wasm: true, wasmSimd: true })
    expect(info.engineVersion).toBe(process.versions.v8)
    expect(info.hardwareConcurrency).toBeGreaterThan(0)
    expect(describeRuntime(info)).toMatch(/^node \d+\.\d+\.\d+ \(V8 .*\), JIT, WASM\+SIMD, \d+ cores/)
  })

  it('reads engines from user agents', () => {
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/140.0.1 Mobile Safari/537.36',
      ),
    ).toMatchObject({
      engine: 'V8',
      runtime: 'Chrome 140.0.1',
    })
    expect(
      parseUserAgent('Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Version/18.2 Mobile/15E148 Safari/604.1')
        .engine,
    ).toBe('JavaScriptCore')
    expect(
      parseUserAgent('Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0').engine,
    ).toBe('SpiderMonkey')
  })
})
