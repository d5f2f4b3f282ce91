import { describe, expect, it } from 'vitest'
import { ipOf, NO_RATE_LIMITS, RateLimiter, STATUS_GO_RATE_LIMITS } from '../src/rate-limiter.ts'

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start
  return { now: () => time, advance: (ms) => (time += ms) }
}

describe('RateLimiter', () => {
  it("lets a peer send status-go's 5 packets at once, then one every 200 ms", () => {
    const time = clock()
    const limiter = new RateLimiter(STATUS_GO_RATE_LIMITS, time.now)
    for (let i = 0; i < 5; i++) expect(limiter.check('a', '10.0.0.1', 10)).toEqual({ ok: true })
    expect(limiter.check('a', '10.0.0.1', 10)).toEqual({ ok: false, limit: 'peer' })
    time.advance(100)
    expect(limiter.check('a', '10.0.0.1', 10).ok).toBe(false)
    time.advance(100)
    expect(limiter.check('a', '10.0.0.1', 10).ok).toBe(true)
  })

  it('limits an IP across its peers (10 packets/s) before any one peer', () => {
    const time = clock()
    const limiter = new RateLimiter(STATUS_GO_RATE_LIMITS, time.now)
    const verdicts = Array.from({ length: 11 }, (_, i) => limiter.check(`peer${i % 4}`, '10.0.0.2', 1))
    expect(verdicts.slice(0, 10).every((verdict) => verdict.ok)).toBe(true)
    expect(verdicts[10]).toEqual({ ok: false, limit: 'ip' })
    expect(limiter.check('other', '10.0.0.3', 1).ok).toBe(true)
  })

  it('limits bytes per second, and lets an oversized packet through only on a full bucket', () => {
    const time = clock()
    const limiter = new RateLimiter({ ...NO_RATE_LIMITS, peerBytes: 1000 }, time.now)
    expect(limiter.check('a', 'ip', 600).ok).toBe(true)
    expect(limiter.check('a', 'ip', 600)).toEqual({ ok: false, limit: 'peer' })
    time.advance(200) // 400 + 200 = 600 tokens
    expect(limiter.check('a', 'ip', 600).ok).toBe(true)
    time.advance(500)
    expect(limiter.check('a', 'ip', 5000).ok).toBe(false) // 500 of 1000: not full
    time.advance(500)
    expect(limiter.check('a', 'ip', 5000).ok).toBe(true)
    expect(limiter.check('a', 'ip', 1).ok).toBe(false)
  })

  it('with every limit 0 never halts and keeps no state', () => {
    const limiter = new RateLimiter(NO_RATE_LIMITS, clock().now)
    expect(limiter.disabled).toBe(true)
    for (let i = 0; i < 1000; i++) expect(limiter.check('a', 'ip', 1_000_000).ok).toBe(true)
    expect(limiter.size).toBe(0)
  })

  it('forgets buckets once they are full again', () => {
    const time = clock()
    const limiter = new RateLimiter(STATUS_GO_RATE_LIMITS, time.now)
    limiter.check('a', 'ip', 100)
    expect(limiter.size).toBe(4)
    limiter.sweep()
    expect(limiter.size).toBe(4)
    time.advance(1000)
    limiter.sweep()
    expect(limiter.size).toBe(0)
  })

  it('reads the IP of v4 and v6 addresses', () => {
    expect(ipOf('127.0.0.1:30303')).toBe('127.0.0.1')
    expect(ipOf('[::1]:30303')).toBe('::1')
    expect(ipOf('unknown')).toBe('unknown')
  })
})
