import { describe, expect, it } from 'vitest'
import { parseEnode } from '../src/client/enode.ts'
import { MailserverSelector, type SelectorSettings } from '../src/client/selector.ts'
import { MailserverUnavailableError } from '../src/index.ts'
import { enodeOf, idOf } from './helpers.ts'

function selector(rtts: number[], overrides: Partial<SelectorSettings> = {}) {
  let now = 1_000_000
  const ids = rtts.map((_, i) => idOf(i + 1))
  const made = new MailserverSelector(
    ids.map((id) => enodeOf(id)),
    {
      ping: async (address) => {
        const rtt = rtts[ids.indexOf(address.id)]!
        if (rtt < 0) throw new Error('unreachable')
        return rtt
      },
      pingTimeoutMs: 100,
      maxFailures: 2,
      backoffMs: 1000,
      maxBackoffMs: 3000,
      random: () => 0,
      nowMs: () => now,
      ...overrides,
    },
  )
  return { made, ids, advance: (ms: number) => (now += ms) }
}

describe('mailserver selection', () => {
  it('picks at random among the fastest quarter: ceil((n - 1) / 4)', async () => {
    const rtts = [90, 10, 80, 20, 70, 60, 50, 40, 30] // 9 reachable → pool of 2: ids 2 and 4
    const picks = new Set<string>()
    for (const r of [0, 0.49, 0.5, 0.99]) {
      const { made, ids } = selector(rtts, { random: () => r })
      picks.add((await made.select()).id)
      expect([ids[1], ids[3]]).toContain((await made.select()).id)
    }
    expect(picks.size).toBe(2)
  })

  it('takes the only fast one of two, and all of one', async () => {
    const two = selector([50, 5], { random: () => 0.99 })
    expect((await two.made.select()).id).toBe(two.ids[1])
    const one = selector([50])
    expect((await one.made.select()).id).toBe(one.ids[0])
  })

  it('stays with the active one until it fails twice, then grey-lists it with a doubling back-off', async () => {
    const { made, ids, advance } = selector([5, 50])
    const first = await made.select()
    expect(first.id).toBe(ids[0])
    expect(made.failed(first)).toBe(false)
    expect((await made.select()).id).toBe(ids[0])
    expect(made.failed(first)).toBe(true)
    expect((await made.select()).id).toBe(ids[1])
    expect(made.status()[0]?.greylistedUntil).toBe(1_000_000 + 1000)
    advance(1001) // back-off over; the faster one is chosen again once the active one goes
    const second = parseEnode(made.status()[1]!.enode)
    made.failed(second)
    made.failed(second)
    expect((await made.select()).id).toBe(ids[0])
    made.failed(first)
    made.failed(first)
    expect(made.status()[0]?.greylistedUntil).toBe(1_000_000 + 1001 + 2000)
  })

  it('a success resets the failure count and the back-off', async () => {
    const { made, ids } = selector([5, 50])
    const first = await made.select()
    made.failed(first)
    made.succeeded(first)
    expect(made.failed(first)).toBe(false)
    expect((await made.select()).id).toBe(ids[0])
  })

  it('skips mailservers that do not answer a ping, and says when none is left', async () => {
    const { made, ids } = selector([-1, 30])
    expect((await made.select()).id).toBe(ids[1])
    const none = selector([-1, -1])
    await expect(none.made.select()).rejects.toBeInstanceOf(MailserverUnavailableError)
    // A second failed ping is the second failure: both are grey-listed and not even pinged.
    await expect(none.made.select()).rejects.toThrow(/answered a ping/)
    await expect(none.made.select()).rejects.toThrow(/grey-listed/)
  })
})

describe('per-peer rate limit', () => {
  it('allows `requests` per window per peer and forgets idle peers', async () => {
    const { PeerRateLimiter } = await import('../src/index.ts')
    const limiter = new PeerRateLimiter({ requests: 2, windowMs: 1000 })
    expect([0, 10, 20].map((t) => limiter.allow('a', t))).toEqual([true, true, false])
    expect(limiter.allow('b', 20)).toBe(true)
    expect(limiter.allow('a', 1005)).toBe(true) // the request at 0 left the window
    limiter.sweep(5000)
    expect(limiter.size).toBe(0)
    for (let i = 0; i < 1100; i++) limiter.allow(`peer-${i}`, i * 10)
    expect(limiter.size).toBeLessThanOrEqual(1025)
  })
})
