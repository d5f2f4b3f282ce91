import { fakeComponents } from '@parley/compliance-tests'
import { devp2pHost, peerDiscovery } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { peerPool } from '../src/index.ts'
import { fakeHost, ManualClock, PausableSource, peer } from './fakes.ts'

function setup() {
  const clock = new ManualClock()
  const source = new PausableSource(clock)
  const { host, online, dialled, drop } = fakeHost((type, id) =>
    components.events.safeDispatchEvent(type, { id, overlay: 'devp2p' }),
  )
  const components = fakeComponents({
    services: [
      [devp2pHost, host],
      [peerDiscovery, source],
    ],
  })
  const events: string[] = []
  for (const type of ['discovery:started', 'discovery:stopped', 'discovery:summary'] as const) {
    components.events.addEventListener(type, (event) =>
      events.push(`${type} ${JSON.stringify(event.detail.peers)}`),
    )
  }
  const pool = peerPool({ topics: { whisper: { min: 2, max: 3 } }, clock }).create(components)
  return { clock, source, online, dialled, drop, pool, events, components }
}

describe('peerPool schedule (injected clock)', () => {
  it('searches every 3 s below min, every 30 s up to max, pauses at max and resumes when a peer drops', async () => {
    const { clock, source, online, drop, pool, events, components } = setup()
    for (const n of [1, 2, 3]) online.add(peer(n).id)
    await pool.start()
    await clock.advance(0)
    expect(pool.mode).toBe('fast')
    expect(events).toEqual(['discovery:started {"whisper":0}'])
    await clock.advance(9_000)
    expect(source.calls).toEqual([0, 3_000, 6_000, 9_000])

    source.peers = [peer(1), peer(2)]
    await clock.advance(3_000)
    expect(pool.peerCounts()).toEqual({ whisper: 2 })
    expect(pool.mode).toBe('slow')
    expect(components.recorded.get('parley_peer_pool_time_to_first_peer_seconds')).toBe(12)
    const slowSince = source.calls.at(-1) as number
    await clock.advance(60_000)
    expect(source.calls.filter((t) => t > slowSince)).toEqual([slowSince + 30_000, slowSince + 60_000])

    source.peers = [peer(1), peer(2), peer(3)]
    await clock.advance(30_000)
    expect(pool.mode).toBe('suspended')
    expect(source.paused).toBe(true)
    expect(clock.pending).toBe(0)
    const calls = source.calls.length
    await clock.advance(600_000)
    expect(source.calls).toHaveLength(calls)

    online.delete(peer(2).id)
    drop(peer(2).id)
    await clock.advance(0)
    expect(pool.mode).toBe('slow')
    expect(source.paused).toBe(false)
    expect(source.log).toEqual([
      'resume',
      'connected 1',
      'connected 2',
      'connected 3',
      'pause',
      'disconnected 2',
      'resume',
    ])
    expect(events).toEqual([
      'discovery:started {"whisper":0}',
      'discovery:summary {"whisper":1}',
      'discovery:summary {"whisper":2}',
      'discovery:summary {"whisper":3}',
      'discovery:stopped {"whisper":3}',
      'discovery:summary {"whisper":2}',
      'discovery:started {"whisper":2}',
    ])
    await pool.stop()
    expect(events.at(-1)).toBe('discovery:stopped {"whisper":2}')
  })

  it('forgets a found peer no source has announced for 60 minutes', async () => {
    const { clock, source, dialled, pool } = setup()
    await pool.start()
    await clock.advance(0)
    source.safeDispatchEvent('peer:discovery', peer(7))
    await clock.advance(0)
    expect(dialled).toEqual([peer(7).id])
    // Offline: retried, backing off to every 30 s (slow interval), while it is remembered…
    await clock.advance(59 * 60_000)
    const attempts = dialled.length
    expect(attempts).toBeGreaterThan(100)
    // …and forgotten an hour after its announcement.
    await clock.advance(2 * 60_000)
    const afterExpiry = dialled.length
    await clock.advance(30 * 60_000)
    expect(dialled.length).toBe(afterExpiry)
    await pool.stop()
  })
})
