import { describe, expect, it } from 'vitest'
import type { DemoCheck, DemoContext } from '../src/demo/check.ts'
import { checkList } from '../src/demo/checks.ts'
import { reportJson, resultLine, summaryLine } from '../src/demo/report.ts'
import { runChecks } from '../src/demo/runner.ts'

const context = {} as DemoContext

describe('runChecks', () => {
  it('records ok, ms and detail, and a one-line error for a failure', async () => {
    const checks: DemoCheck[] = [
      { name: 'a.pass', run: async () => 'with detail' },
      { name: 'a.void', run: async () => {} },
      {
        name: 'a.fail',
        run: async () => {
          throw new Error('first line\nsecond line')
        },
      },
    ]
    const results = await runChecks(checks, context)
    expect(results.map(({ name, ok }) => [name, ok])).toEqual([
      ['a.pass', true],
      ['a.void', true],
      ['a.fail', false],
    ])
    expect(results[0]?.detail).toBe('with detail')
    expect(results[1]).not.toHaveProperty('detail')
    expect(results[2]?.error).toBe('first line; second line')
    for (const result of results) expect(result.ms).toBeGreaterThanOrEqual(0)
  })

  it('fails a check that exceeds the timeout and aborts its signal', async () => {
    let seen: AbortSignal | undefined
    const hang: DemoCheck = {
      name: 'a.hang',
      run: (_context, signal) => {
        seen = signal
        return new Promise<undefined>(() => {})
      },
    }
    const [result] = await runChecks([hang], context, { timeoutMs: 30 })
    expect(result).toMatchObject({ name: 'a.hang', ok: false, error: 'timed out after 30 ms' })
    expect(seen?.aborted).toBe(true)
  })

  it('marks the remaining checks as not run once interrupted', async () => {
    const controller = new AbortController()
    const checks: DemoCheck[] = [
      {
        name: 'b.first',
        run: async () => {
          controller.abort()
        },
      },
      { name: 'b.second', run: async () => 'ran' },
    ]
    const seen: string[] = []
    const results = await runChecks(checks, context, {
      signal: controller.signal,
      onResult: (result) => seen.push(result.name),
    })
    expect(results[0]?.ok).toBe(true)
    expect(results[1]).toMatchObject({ ok: false, error: 'not run: the demo was interrupted' })
    expect(seen).toEqual(['b.first', 'b.second'])
  })
})

describe('checkList', () => {
  it('refuses two checks with one name', () => {
    const check: DemoCheck = { name: 'x.same', run: async () => {} }
    expect(() => checkList([check], [check])).toThrow('two demo checks are named x.same')
  })
})

describe('report', () => {
  const results = [
    { name: 'c.ok', ok: true, ms: 1.25, detail: 'fine' },
    { name: 'c.bad', ok: false, ms: 3, error: 'broke' },
  ]

  it('prints ✓/✗ lines and a summary', () => {
    expect(resultLine(results[0]!, 6)).toBe('✓ c.ok       1.3 ms  fine')
    expect(resultLine(results[1]!, 6)).toBe('✗ c.bad      3.0 ms  broke')
    expect(summaryLine(results)).toBe('1 of 2 checks failed')
    expect(summaryLine(results.slice(0, 1))).toBe('1 of 1 checks passed')
  })

  it('ends with the documented JSON shape', () => {
    expect(JSON.parse(reportJson(results))).toEqual({ demo: 'parley', checks: results })
  })
})
