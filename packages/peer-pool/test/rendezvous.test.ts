import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey, loadCrypto, nodeIdFromPublicKey } from '@parley/crypto'
import { type RendezvousDiscovery, rendezvousDiscovery, rendezvousServer } from '@parley/discovery-rendezvous'
import {
  devp2pHost,
  type KeyValueStore,
  libp2pHost,
  type NodeIdentity,
  nodeIdentity,
  type Plugin,
  peerDiscovery,
} from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { describe, expect, it } from 'vitest'
import { type PeerPool, peerPool } from '../src/index.ts'
import { stoppedAfterEach, storePlugin, tracked } from './nodes.ts'

const { secp256k1 } = await loadCrypto()
const listen = ['/ip4/127.0.0.1/tcp/0']
const logger = { level: 'silent' } as const
const running = stoppedAfterEach()

function identity(): Plugin<NodeIdentity> {
  const privateKey = generatePrivateKey()
  const publicKey = secp256k1.getPublicKey(privateKey, false)
  return {
    name: 'identity',
    provides: [nodeIdentity],
    create: () => ({ privateKey, publicKey, nodeId: nodeIdFromPublicKey(publicKey) }),
  }
}

const discoverRequests = async (server: ParleyNode) =>
  Number(
    /parley_rendezvous_server_requests_total\{type="3",status="0"\} (\d+)/.exec(
      await server.metrics.expose(),
    )?.[1] ?? 0,
  )

function mobileNode(servers: string[], store: KeyValueStore): ParleyNode {
  return tracked(
    running,
    createNode({
      name: 'mobile',
      transports: [devp2p({ port: 0 }), libp2p({ listen })],
      discovery: [rendezvousDiscovery({ servers })],
      store: storePlugin(store),
      services: {
        pool: peerPool({
          topics: { whisper: { min: 2, max: 2 }, whispermail: { min: 1, max: 1 } },
          fastIntervalMs: 100,
        }),
      },
      logger,
    }),
  )
}

describe('peerPool with rendezvous discovery on loopback', () => {
  it('finds relays and a mail server, suspends, and after a restart dials its cache without discovering', async () => {
    const server = tracked(
      running,
      createNode({
        name: 'rendezvous',
        transports: [libp2p({ listen })],
        services: { rendezvous: rendezvousServer() },
        logger,
      }),
    )
    await server.start()
    const servers = server.get(libp2pHost).multiaddrs()
    let registrations = 0
    const allRegistered = new Promise<void>((resolve) =>
      server.events.addEventListener('rendezvous:registered', () => {
        if (++registrations === 4) resolve()
      }),
    )
    const advertised = (topic: string) =>
      tracked(
        running,
        createNode({
          name: topic,
          plugins: [identity()],
          transports: [devp2p({ port: 0 }), libp2p({ listen })],
          discovery: [rendezvousDiscovery({ servers, register: [topic], topics: [] })],
          logger,
        }),
      )
    const others = [
      advertised('whisper'),
      advertised('whisper'),
      advertised('whisper'),
      advertised('whispermail'),
    ]
    await Promise.all(others.map((node) => node.start()))
    await allRegistered
    const mailserverId = others[3]?.get(devp2pHost).nodeId

    const store = new MemoryKeyValueStore()
    const mobile = mobileNode(servers, store)
    const stopped = new Promise((resolve) =>
      mobile.events.addEventListener('discovery:stopped', resolve, { once: true }),
    )
    const started: unknown[] = []
    mobile.events.addEventListener('discovery:started', (event) => started.push(event.detail))
    await mobile.start()
    await stopped
    const pool = mobile.service<PeerPool>('pool')
    expect(started).toEqual([{ peers: { whisper: 0, whispermail: 0 } }])
    expect(pool.mode).toBe('suspended')
    expect(pool.peerCounts()).toEqual({ whisper: 2, whispermail: 1 })
    const connected = mobile
      .get(devp2pHost)
      .peers()
      .map((peer) => peer.id)
    expect(connected).toContain(mailserverId)
    await expect
      .poll(() => (mobile.get(peerDiscovery) as RendezvousDiscovery).paused, { timeout: 10_000 })
      .toBe(true)
    expect(await discoverRequests(server)).toBeGreaterThan(0)
    await mobile.stop()
    expect((await pool.cachedPeers('whispermail')).map((peer) => peer.id)).toEqual([mailserverId])
    expect(await pool.cachedPeers('whisper')).toHaveLength(2)

    // Restarted with the same store: the cached peers fill every topic, so no discovery at all.
    const before = await discoverRequests(server)
    const again = mobileNode(servers, store)
    const restartEvents: string[] = []
    for (const type of ['discovery:started', 'discovery:stopped'] as const)
      again.events.addEventListener(type, () => restartEvents.push(type))
    await again.start()
    const restarted = again.service<PeerPool>('pool')
    await expect.poll(() => restarted.mode, { timeout: 10_000 }).toBe('suspended')
    expect(restarted.peerCounts()).toEqual({ whisper: 2, whispermail: 1 })
    expect(
      again
        .get(devp2pHost)
        .peers()
        .map((peer) => peer.id)
        .sort(),
    ).toEqual([...connected].sort())
    expect(restartEvents).toEqual([])
    expect(restarted.discovering).toBe(false)
    expect((again.get(peerDiscovery) as RendezvousDiscovery).paused).toBe(true)
    expect(await discoverRequests(server)).toBe(before)
  })
})
