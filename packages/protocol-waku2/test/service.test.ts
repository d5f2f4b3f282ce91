import { InvalidParametersError, NotFoundError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { isOversize, PeerRateLimiter, peerIdOf } from '../src/index.ts'

describe('PeerRateLimiter', () => {
  it('allows a burst up to the volume per peer, then refills continuously', () => {
    let now = 0
    const limiter = new PeerRateLimiter({ requests: 2, periodMs: 1000 }, () => now)
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false])
    expect(limiter.take('b')).toBe(true)
    now = 500
    expect([limiter.take('a'), limiter.take('a')]).toEqual([true, false])
  })

  it('forgets peers idle for a whole period', () => {
    let now = 0
    const limiter = new PeerRateLimiter({ requests: 1, periodMs: 100 }, () => now)
    limiter.take('a')
    expect(limiter.size).toBe(1)
    now = 100
    limiter.prune()
    expect(limiter.size).toBe(0)
  })

  it('is unlimited without a limit or with zero requests', () => {
    for (const limiter of [new PeerRateLimiter(undefined), new PeerRateLimiter({ requests: 0, periodMs: 1 })])
      for (let i = 0; i < 100; i++) expect(limiter.take('a')).toBe(true)
  })
})

describe('peerIdOf', () => {
  const host = { connectedPeers: () => ['16Uiu2Connected'] }

  it('takes the id from a /p2p/ multiaddr, or a connected bare id', () => {
    expect(peerIdOf(host, '/ip4/127.0.0.1/tcp/1/p2p/16Uiu2Other')).toBe('16Uiu2Other')
    expect(peerIdOf(host, '16Uiu2Connected')).toBe('16Uiu2Connected')
  })

  it('refuses a multiaddr without /p2p/ and an unknown bare id', () => {
    expect(() => peerIdOf(host, '/ip4/127.0.0.1/tcp/1')).toThrow(InvalidParametersError)
    expect(() => peerIdOf(host, '16Uiu2Unknown')).toThrow(NotFoundError)
  })
})

describe('isOversize', () => {
  it('recognises only the length-prefix refusals', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name })
    expect(isOversize(named('InvalidDataLengthError'))).toBe(true)
    expect(isOversize(named('InvalidDataLengthLengthError'))).toBe(true)
    expect(isOversize(new Error('reset'))).toBe(false)
  })
})
