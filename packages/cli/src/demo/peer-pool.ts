/**
 * Peer pool check (the Chaos Unicorn Day scenario): a mobile node fills its Whisper topic through
 * rendezvous and caches the peers in its store; restarted while the rendezvous server is gone, it
 * reconnects from the cache alone.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, type ParleyNode } from '@parley/core'
import { rendezvousDiscovery } from '@parley/discovery-rendezvous'
import { AbortError, devp2pHost } from '@parley/interfaces'
import { type PeerPool, peerPool } from '@parley/peer-pool'
import { whisper } from '@parley/protocol-whisper'
import { sqliteStore } from '@parley/store-sqlite'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { type DemoCheck, type DemoContext, expectThat } from './check.ts'
import { STATUS_POW, waitFor, withNodes } from './devp2p-nodes.ts'
import {
  LIBP2P_LOOPBACK,
  registeringRelay,
  registrations,
  rendezvousServerNode,
  serverAddresses,
} from './rendezvous-nodes.ts'

const PEERS = 2

function mobileNode(context: DemoContext, path: string, servers: readonly string[]): ParleyNode {
  return createNode({
    name: 'demo-peerpool-mobile',
    transports: [devp2p({ host: '127.0.0.1', port: 0 }), libp2p({ listen: LIBP2P_LOOPBACK })],
    protocols: [whisper({ minPow: STATUS_POW })],
    discovery: [rendezvousDiscovery({ servers, topics: ['whisper'] })],
    store: sqliteStore({ path }),
    services: { pool: peerPool({ topics: { whisper: { min: PEERS, max: PEERS } }, fastIntervalMs: 100 }) },
    logger: context.logger,
  })
}

function once(node: ParleyNode, event: 'discovery:stopped', signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    node.events.addEventListener(event, () => resolve(), { once: true })
    signal.addEventListener('abort', () => reject(new AbortError()), { once: true })
  })
}

export const peerPoolChecks: readonly DemoCheck[] = [
  {
    name: 'peerpool.cache-restart',
    async run(context, signal) {
      const dir = await mkdtemp(join(tmpdir(), 'parley-demo-peerpool-'))
      const path = join(dir, 'mobile.sqlite3')
      const server = rendezvousServerNode(context, 'demo-peerpool-rendezvous')
      let serverRunning = false
      try {
        await server.start({ signal })
        serverRunning = true
        const servers = serverAddresses(server)
        const relays = await Promise.all(
          Array.from({ length: PEERS }, (_, index) =>
            registeringRelay(context, `demo-peerpool-relay-${index + 1}`, servers, signal),
          ),
        )
        const registered = registrations(server, PEERS, signal)
        registered.catch(() => undefined) // awaited below; this only keeps an abort from going unhandled
        return await withNodes(relays, signal, async () => {
          // First run: discovery fills the topic, the pool suspends it and caches the peers.
          await registered
          const first = mobileNode(context, path, servers)
          const full = once(first, 'discovery:stopped', signal)
          await withNodes([first], signal, async () => {
            await full
            const pool = first.service<PeerPool>('pool')
            expectThat(pool.mode === 'suspended', `the pool is ${pool.mode}, not suspended`)
          })
          // Every rendezvous server goes dark; the second run, same store, has only its cache.
          await server.stop()
          serverRunning = false
          const second = mobileNode(context, path, servers)
          let discoveryStarted = false
          second.events.addEventListener('discovery:started', () => {
            discoveryStarted = true
          })
          return withNodes([second], signal, async () => {
            await waitFor(() => second.get(devp2pHost).peers().length === PEERS, signal)
            const cached = await second.service<PeerPool>('pool').cachedPeers('whisper', { signal })
            expectThat(cached.length === PEERS, `${cached.length} peers cached`)
            expectThat(
              !discoveryStarted,
              'the restarted pool ran discovery although its cache filled the topic',
            )
            return `${PEERS} Whisper peers found via rendezvous and cached in SQLite; restarted with the rendezvous server down, it reconnected to both from the cache`
          })
        })
      } finally {
        if (serverRunning) await server.stop()
        await rm(dir, { recursive: true, force: true })
      }
    },
  },
]
