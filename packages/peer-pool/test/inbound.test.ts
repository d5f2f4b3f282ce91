import { fakeComponents } from '@parley/compliance-tests'
import { devp2pHost, type KeyValueStore, keyValueStore, peerDiscovery } from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'
import { peerPool } from '../src/index.ts'
import { fakeHost, ManualClock, peer, RefreshingSource, settle } from './fakes.ts'

const name = (id: string) => Number.parseInt(id, 16)

function setup(store?: KeyValueStore) {
  const clock = new ManualClock()
  const source = new RefreshingSource(clock)
  const { host, online, dialled, drop, inbound } = fakeHost((type, id) =>
    components.events.safeDispatchEvent(type, { id, overlay: 'devp2p' }),
  )
  const components = fakeComponents({
    services: [
      [devp2pHost, host],
      [peerDiscovery, source],
      ...(store === undefined ? [] : ([[keyValueStore, store]] as const)),
    ],
  })
  const pool = peerPool({ topics: { whisper: { min: 2, max: 3 } }, clock }).create(components)
  return { clock, source, online, dialled: () => dialled.map(name), drop, inbound, pool }
}

describe('peerPool counts only the peers it dialled (status-go ConfirmAdded)', () => {
  it('keeps searching and dialling while inbound peers fill the host', async () => {
    const { clock, source, online, dialled, inbound, pool } = setup()
    await pool.start()
    await clock.advance(0)
    // Inbound peers a source announced, too: known, reachable, and still not counted.
    const inbounds = [11, 12, 13, 14].map((n) => peer(n))
    for (const p of inbounds) inbound(p.id)
    source.peers = inbounds
    await clock.advance(3_000)
    expect(pool.peerCounts()).toEqual({ whisper: 0 })
    expect(pool.mode).toBe('fast')

    for (const n of [1, 2, 3]) online.add(peer(n).id)
    source.peers = [...inbounds, peer(1), peer(2), peer(3)]
    await clock.advance(3_000)
    expect(dialled()).toEqual([1, 2, 3])
    expect(pool.peerCounts()).toEqual({ whisper: 3 })
    expect(pool.mode).toBe('suspended')
    await pool.stop()
  })

  it('redials lost peers although inbound peers refilled the host, backing off from the fast interval', async () => {
    const { clock, source, online, dialled, drop, inbound, pool } = setup()
    for (const n of [1, 2, 3]) online.add(peer(n).id)
    source.peers = [peer(1), peer(2), peer(3)]
    await pool.start()
    await clock.advance(0)
    expect(pool.mode).toBe('suspended')

    // The source keeps listing 2 and 3 at every poll; a poll's repeat is no news, the back-off holds.
    for (const n of [2, 3]) {
      online.delete(peer(n).id)
      drop(peer(n).id)
    }
    for (const n of [11, 12, 13]) inbound(peer(n).id)
    source.peers = [...source.peers, peer(11), peer(12), peer(13)]
    await clock.advance(0)
    expect(pool.peerCounts()).toEqual({ whisper: 1 })
    expect(pool.mode).toBe('fast')
    // The redial on the drop fails at once; the retries wait 3 s, 6 s, 12 s, 24 s, then 30 s.
    const attempts: number[] = []
    for (let t = 0; t < 60_000; t += 1_000) {
      const before = dialled().length
      await clock.advance(1_000)
      if (dialled().length > before) attempts.push(clock.now())
    }
    expect(attempts).toEqual([3_000, 9_000, 21_000, 45_000])
    online.add(peer(3).id)
    await clock.advance(30_000)
    expect(pool.peerCounts()).toEqual({ whisper: 2 })
    expect(pool.mode).toBe('slow')
    await pool.stop()
  })

  it('caches inbound peers a source announced, without counting them', async () => {
    const store = new MemoryKeyValueStore()
    const { clock, source, inbound, pool } = setup(store)
    await pool.start()
    await clock.advance(0)
    inbound(peer(5).id)
    source.peers = [peer(5)]
    await clock.advance(3_000)
    expect(pool.peerCounts()).toEqual({ whisper: 0 })
    await expect
      .poll(async () => (await pool.cachedPeers('whisper')).map((p) => name(p.id)), { timeout: 10_000 })
      .toEqual([5])
    await pool.stop()
  })
})

describe('peerPool when starved', () => {
  it('retries cached peers after a fast interval when the whole cache round failed', async () => {
    const store = new MemoryKeyValueStore()
    const first = setup(store)
    for (const n of [1, 2]) first.online.add(peer(n).id)
    first.source.peers = [peer(1), peer(2)]
    await first.pool.start()
    await first.clock.advance(3_000)
    await first.pool.stop()

    const { clock, online, dialled, pool } = setup(store)
    await pool.start()
    await clock.advance(0)
    await settle()
    expect(dialled().sort()).toEqual([1, 2])
    expect(pool.mode).toBe('fast')
    for (const n of [1, 2]) online.add(peer(n).id)
    await clock.advance(3_000)
    expect(dialled().sort()).toEqual([1, 1, 2, 2])
    expect(pool.peerCounts()).toEqual({ whisper: 2 })
  })

  it('asks its sources to re-check after the floor, backing off, until a republished peer appears', async () => {
    const { clock, source, online, dialled, pool } = setup()
    await pool.start()
    await clock.advance(0)
    await clock.advance(240_000)
    // floor 60 s, then 120 s, then 240 s between re-checks while nothing new turns up
    expect(source.refreshes).toEqual([60_000, 120_000, 240_000])
    online.add(peer(9).id)
    source.republished = [peer(9)]
    await clock.advance(240_000)
    expect(source.refreshes).toEqual([60_000, 120_000, 240_000, 480_000])
    expect(dialled()).toEqual([9])
    expect(pool.peerCounts()).toEqual({ whisper: 1 })
    // found something: the next re-check is one floor later again
    await clock.advance(60_000)
    expect(source.refreshes.at(-1)).toBe(540_000)
    await pool.stop()
  })
})
