import {
  caseById,
  casesWithPrefix,
  hex,
  loadCompleteVectors,
  loadVectors,
  num,
  str,
} from '@parley/test-support'
import { describe, expect, it } from 'vitest'

describe('shared vectors', () => {
  it('loads a file and finds cases and fields', () => {
    const cases = loadVectors('whisper-v6.json')
    const pow = caseById(cases, 'pow-nonce-276')
    expect(casesWithPrefix(cases, 'bloom-').length).toBeGreaterThan(1)
    expect(typeof pow.input).toBe('object')
  })

  it('fails loudly on what is missing, so no test passes vacuously', () => {
    expect(() => loadVectors('no-such-file.json')).toThrow(/not found/)
    expect(() => caseById(loadVectors('whisper-v6.json'), 'no-such-case')).toThrow(/missing/)
    expect(() => casesWithPrefix(loadVectors('whisper-v6.json'), 'zzz')).toThrow(/no vector case/)
    expect(() => str({ a: 1 }, 'a')).toThrow(/not a string/)
    expect(() => num({ a: 'x' }, 'a')).toThrow(/not a number/)
    expect(() => hex({ a: 'abc' }, 'a')).toThrow(/hex/)
  })

  it('narrows files whose cases all have input and expected', () => {
    expect(loadCompleteVectors('ecies.json').every((vector) => typeof vector.expected === 'object')).toBe(
      true,
    )
    expect(() => loadCompleteVectors('waku2-payload-v1.json')).toThrow(/lacks input or expected/)
  })

  it('decodes hex fields', () => {
    expect([...hex({ a: '00ff10' }, 'a')]).toEqual([0, 255, 16])
    expect(hex({ a: '' }, 'a').length).toBe(0)
  })
})
