import { describe, expect, it } from 'vitest'
import { parseBenchArgs } from '../src/args.ts'
import type { MachineInfo } from '../src/machine.ts'
import { parseReferenceOutput } from '../src/native.ts'
import { formatReport, formatValue, toJsonRecords, toMeta } from '../src/report.ts'
import { median, percentile } from '../src/stats.ts'
import { checkTarget } from '../src/targets.ts'
import type { BenchResult } from '../src/types.ts'

function result(overrides: Partial<BenchResult>): BenchResult {
  return {
    id: 'case',
    group: 'case',
    unit: 'ops/s',
    provider: 'wasm (x)',
    median: 100,
    min: 90,
    max: 110,
    rounds: [90, 100, 110],
    p90: undefined,
    referenceId: 'ref',
    inProcessReference: undefined,
    reference: 200,
    referenceRounds: [200, 200, 200],
    ratio: 0.5,
    referenceNote: undefined,
    target: undefined,
    ...overrides,
  }
}

const machine: MachineInfo = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 8,
  os: 'Linux 6',
  arch: 'x64',
  node: '24.0.0',
  v8: '13.6',
  nodeOpenssl: '3.5.0',
  native: { compiler: 'cc 12', openssl: 'OpenSSL 3.0.19', secp256k1: true },
  loadAverage: 0.5,
  date: '2026-01-01T00:00:00.000Z',
}

describe('stats', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow(RangeError)
  })

  it('uses nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10]
    expect(percentile(values, 0.5)).toBe(5)
    expect(percentile(values, 0.9)).toBe(9)
    expect(percentile([7], 0.9)).toBe(7)
  })
})

describe('--json records', () => {
  it('hold exactly id, unit, median, min, max, reference and ratio', () => {
    const records = toJsonRecords([result({}), result({ id: 'b', reference: null, ratio: null })])
    expect(records.map((r) => Object.keys(r).sort())).toEqual([
      ['id', 'max', 'median', 'min', 'ratio', 'reference', 'unit'],
      ['id', 'max', 'median', 'min', 'ratio', 'reference', 'unit'],
    ])
    expect(records[1]).toEqual({
      id: 'b',
      unit: 'ops/s',
      median: 100,
      min: 90,
      max: 110,
      reference: null,
      ratio: null,
    })
    expect(JSON.parse(JSON.stringify(records))).toEqual(records)
  })

  it('leave machine, settings and rounds to the sidecar', () => {
    const meta = toMeta([result({ target: { minRatio: 0.65 } })], machine, { rounds: 3 })
    expect(meta.machine.node).toBe('24.0.0')
    expect(meta.cases[0]).toMatchObject({
      id: 'case',
      rounds: [90, 100, 110],
      target: 'ratio ≥ 0.65',
      targetMet: false,
    })
  })
})

describe('targets', () => {
  it('checks ratio targets and says by how much one is missed', () => {
    expect(checkTarget(result({ ratio: 0.7 }), { minRatio: 0.65 })).toMatchObject({
      met: true,
      shortfall: '',
    })
    expect(checkTarget(result({ ratio: 0.52 }), { minRatio: 0.65 })).toMatchObject({
      met: false,
      shortfall: '0.52 is 20% below 0.65',
    })
    expect(checkTarget(result({ ratio: null }), { minRatio: 0.65 })).toBeUndefined()
  })

  it('checks latency bounds on the median', () => {
    const latency = result({ unit: 'ms', median: 0.05 })
    expect(checkTarget(latency, { maxMedian: 0.1 })?.met).toBe(true)
    expect(checkTarget({ ...latency, median: 0.15 }, { maxMedian: 0.1 })).toMatchObject({
      met: false,
      shortfall: '0.150 ms is 50% over 0.1',
    })
  })
})

describe('formatReport', () => {
  it('prints the machine, an aligned table, target marks and the n/a reasons', () => {
    const text = formatReport(
      [
        result({ id: 'fast', target: { minRatio: 0.4 } }),
        result({ id: 'slow', ratio: 0.1, target: { minRatio: 0.4 } }),
        result({ id: 'none', reference: null, ratio: null, referenceId: 'aes', referenceNote: 'no OpenSSL' }),
        result({ id: 'seal', unit: 'ms', median: 0.02, min: 0.01, max: 0.03, p90: 0.05, reference: 0.01 }),
      ],
      machine,
      'settings line',
    )
    const lines = text.split('\n')
    expect(text).toContain('Test CPU, 2 cores')
    expect(text).toContain('load average 0.5 at start')
    expect(text).toContain('node 24.0.0, V8 13.6, OpenSSL 3.5.0')
    expect(text).toContain('libcrypto OpenSSL 3.0.19')
    const rows = ['fast', 'slow', 'none'].map((id) => lines.find((line) => line.startsWith(`${id} `))!)
    expect(rows[0]).toMatch(/ratio ≥ 0.4\s+✓$/)
    expect(rows[1]).toMatch(/ratio ≥ 0.4\s+✗$/)
    expect(rows[2]).toContain('n/a')
    // every row's median column ends at the same place
    const header = lines.find((line) => line.startsWith('case '))!
    const end = header.indexOf('median') + 'median'.length
    for (const row of rows) expect(row.slice(0, end).endsWith('100')).toBe(true)
    expect(text).toContain('✗ slow: 0.10 is 75% below 0.4')
    expect(text).toContain('aes: no OpenSSL')
    expect(text).toContain('p90 (median over rounds): seal 0.0500 ms')
  })

  it('shortens large throughputs', () => {
    expect(formatValue(3_180_000)).toBe('3.18M')
    expect(formatValue(45_600)).toBe('45.6k')
    expect(formatValue(9_654)).toBe('9.65k')
    expect(formatValue(97.6)).toBe('97.6')
    expect(formatValue(0.01234)).toBe('0.0123')
  })
})

describe('parseBenchArgs', () => {
  it('has defaults and reads every flag', () => {
    expect(parseBenchArgs([])).toEqual({
      json: undefined,
      filter: undefined,
      rounds: 7,
      sliceMs: 300,
      list: false,
      help: false,
      results: undefined,
      noWasm: false,
      matrix: false,
      instructions: false,
      ops: 1,
    })
    expect(
      parseBenchArgs(['--results', 'r.json', '--matrix', '--instructions', '--ops', '50']),
    ).toMatchObject({ results: 'r.json', matrix: true, instructions: true, ops: 50 })
    expect(() => parseBenchArgs(['--matrix', '--no-wasm'])).toThrow(/--matrix/)
    expect(
      parseBenchArgs(['--json', 'out.json', '--filter', 'secp', '--rounds', '3', '--ms', '50']),
    ).toMatchObject({
      json: 'out.json',
      filter: 'secp',
      rounds: 3,
      sliceMs: 50,
    })
  })

  it('rejects unknown flags and bad numbers', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/fast/)
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/--rounds/)
    expect(() => parseBenchArgs(['--ms', 'x'])).toThrow(/--ms/)
  })
})

describe('parseReferenceOutput', () => {
  it('reads the value and the optional lines', () => {
    expect(parseReferenceOutput('3.1e+06 hashes/s\nsamples 42\n')).toEqual({
      value: 3.1e6,
      p90: undefined,
      samples: 42,
    })
    expect(parseReferenceOutput('0.0094 ms\np90 0.026\nsamples 7\n')).toEqual({
      value: 0.0094,
      p90: 0.026,
      samples: 7,
    })
    expect(() => parseReferenceOutput('oops')).toThrow(/unexpected/)
  })
})
