import { describe, expect, it } from 'vitest'
import { ExpiringSet } from '../src/expiring-set.ts'
import { EnvelopePool } from '../src/pool.ts'

const entry = (hash: string, expiry: number) => ({
  hash,
  envelope: { expiry, ttl: 10, topic: new Uint8Array(4), data: new Uint8Array(0), nonce: 0n },
  pow: 1,
  own: false,
})

describe('bounded caches', () => {
  it('ExpiringSet forgets expired keys and evicts the oldest when full', () => {
    const set = new ExpiringSet<string>(2)
    set.add('a', 100)
    set.add('b', 200)
    expect(set.has('a', 100)).toBe(true)
    expect(set.has('a', 101)).toBe(false)
    set.add('c', 300)
    expect(set.size).toBe(2)
    expect(set.has('a', 0)).toBe(false)
    expect(set.has('b', 0) && set.has('c', 0)).toBe(true)
    set.add('b', 400) // re-adding refreshes its place, so 'c' is now the oldest
    set.add('d', 500)
    expect(set.has('c', 0)).toBe(false)
    set.sweep(450)
    expect(set.size).toBe(1)
    expect(set.has('d', 450)).toBe(true)
  })

  it('EnvelopePool keeps at most its capacity and drops expired envelopes on sweep', () => {
    const pool = new EnvelopePool(2)
    pool.add(entry('x', 10))
    pool.add(entry('y', 20))
    pool.add(entry('z', 30))
    expect([...pool.values()].map((e) => e.hash)).toEqual(['y', 'z'])
    pool.sweep(25)
    expect([...pool.values()].map((e) => e.hash)).toEqual(['z'])
  })
})
