import { describe, expect, it } from 'vitest'
import { nowNanoseconds } from '../src/index.ts'

describe('nowNanoseconds', () => {
  it('follows the wall clock to the millisecond', () => {
    const before = BigInt(Date.now()) * 1_000_000n
    const stamp = nowNanoseconds()
    const after = BigInt(Date.now() + 1) * 1_000_000n
    expect(stamp).toBeGreaterThanOrEqual(before)
    expect(stamp).toBeLessThan(after)
  })

  it('never repeats or goes back, however fast it is called', () => {
    // Thousands of calls land in the same millisecond; each must still order after the last.
    const stamps = Array.from({ length: 5000 }, () => nowNanoseconds())
    for (let index = 1; index < stamps.length; index++) expect(stamps[index]! > stamps[index - 1]!).toBe(true)
  })
})
