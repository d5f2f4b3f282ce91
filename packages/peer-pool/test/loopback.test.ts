import { createNode, type ParleyNode } from '@parley/core'
import { staticPeers } from '@parley/discovery-static'
import { devp2pHost, type KeyValueStore, peerDiscovery } from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { describe, expect, it } from 'vitest'
import { type PeerPool, peerPool } from '../src/index.ts'
import { stoppedAfterEach, storePlugin, tracked } from './nodes.ts'

const running = stoppedAfterEach()

async function remotes(count: number): Promise<ParleyNode[]> {
  const nodes = Array.from({ length: count }, (_, n) =>
    tracked(
      running,
      createNode({ name: `remote${n}`, transports: [devp2p({ port: 0 })], logger: { level: 'silent' } }),
    ),
  )
  await Promise.all(nodes.map((node) => node.start()))
  return nodes
}

function poolNode(store: KeyValueStore, enodes: string[] | undefined): ParleyNode {
  return tracked(
    running,
    createNode({
      name: 'mobile',
      transports: [devp2p({ port: 0 })],
      discovery: enodes === undefined ? [] : [staticPeers({ enodes })],
      store: storePlugin(store),
      services: {
        pool: peerPool({ topics: { whisper: { min: 2, max: 2 } }, fastIntervalMs: 100, slowIntervalMs: 300 }),
      },
      logger: { level: 'silent' },
    }),
  )
}

const enodeOf = (node: ParleyNode) => node.get(devp2pHost).enode as string
const idOf = (node: ParleyNode) => node.get(devp2pHost).nodeId
const connectedIds = (node: ParleyNode) =>
  node
    .get(devp2pHost)
    .peers()
    .map((peer) => peer.id)

describe('peerPool on loopback devp2p', () => {
  it('reaches min from discovery, suspends it, replaces a lost peer, and restarts from its cache alone', async () => {
    const others = await remotes(4)
    const store = new MemoryKeyValueStore()
    const mobile = poolNode(store, others.map(enodeOf))
    const events: string[] = []
    mobile.events.addEventListener('peerpool:satisfied', () => events.push('satisfied'))
    mobile.events.addEventListener('peerpool:unsatisfied', () => events.push('unsatisfied'))
    await mobile.start()
    const pool = mobile.service<PeerPool>('pool')
    const source = mobile.get(peerDiscovery)

    await expect.poll(() => pool.mode, { timeout: 10_000 }).toBe('suspended')
    expect(connectedIds(mobile)).toHaveLength(2)
    expect(pool.satisfied).toBe(true)
    expect(pool.peerCounts()).toEqual({ whisper: 2 })
    expect(source.isStarted?.()).toBe(false)
    expect(events).toEqual(['satisfied'])

    // A peer goes away: discovery resumes and another of the four takes its place.
    const lost = others.find((node) => connectedIds(mobile).includes(idOf(node)))
    await lost?.stop()
    await expect.poll(() => events, { timeout: 10_000 }).toEqual(['satisfied', 'unsatisfied', 'satisfied'])
    await expect.poll(() => pool.mode, { timeout: 10_000 }).toBe('suspended')
    expect(connectedIds(mobile)).toHaveLength(2)
    expect(connectedIds(mobile)).not.toContain(lost && idOf(lost))
    expect(source.isStarted?.()).toBe(false)
    await expect.poll(async () => (await pool.cachedPeers('whisper')).length, { timeout: 10_000 }).toBe(3)
    const cached = (await pool.cachedPeers('whisper')).map((peer) => peer.id)
    for (const id of connectedIds(mobile)) expect(cached).toContain(id)
    await mobile.stop()

    // Chaos Unicorn Day: no discovery source at all, only the key-value store kept across.
    const again = poolNode(store, undefined)
    await again.start()
    const restarted = again.service<PeerPool>('pool')
    await expect.poll(() => restarted.mode, { timeout: 10_000 }).toBe('suspended')
    expect(again.has(peerDiscovery)).toBe(false)
    expect(connectedIds(again)).toHaveLength(2)
    for (const id of connectedIds(again)) expect(cached).toContain(id)
  }, 20_000)
})
