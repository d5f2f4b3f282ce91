/**
 * Time to first peer (issue "discovery"): how long a starting node waits for a peer to dial, from
 * each source, one fresh start per sample, median and p90 per round:
 *
 * - `first-peer/cache`: the peer pool's persisted cache — open the SQLite key-value store (a file,
 *   written in `setup` with 50 peers) and read the newest cached peer (`PeerCache.list`);
 * - `first-peer/dns`: a fresh `DnsTreeClient` on the loopback tree of 1,000 ENRs
 *   (discovery-dns.ts): root, branches down one random path, one verified record (`nextEnr`);
 * - `first-peer/discv5`: a fresh discv5 node (`createNode` + `discv5()`, loopback UDP) given one
 *   bootstrap record, until it reports a peer it learned by a lookup (not the bootstrap node);
 *   the network is a bootstrap node and five others that registered with it, started before each
 *   slice and stopped after it (its lookups would load the cases that run beside it).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, type ParleyNode } from '@parley/core'
import { type Discv5Discovery, discv5 } from '@parley/discovery-discv5'
import { DnsTreeClient, nodeResolveTxt } from '@parley/discovery-dns'
import { NotStartedError, TimeoutError, VerificationError } from '@parley/interfaces'
import { PeerCache } from '@parley/peer-pool'
import { SqliteStore } from '@parley/store-sqlite'
import { latencyResult } from '../measure.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { type ServedTree, serveEnrTree } from './discovery-dns.ts'
import { nodeSecp256k1 } from './envelope-inputs.ts'

const TOPIC = 'waku'
const CACHED = 50
const NETWORK = 5
const DISCOVERY_TIMEOUT_MS = 10_000

function latencyCase(
  source: string,
  provider: string,
  hooks: {
    setup(): Promise<void>
    teardown(): Promise<void>
    /** one fresh start until the first peer; returns what closes it (untimed) */
    once(): Promise<() => Promise<void>>
    /** around each slice, untimed: what must not run beside the other cases */
    beforeSlice?(): Promise<void>
    afterSlice?(): Promise<void>
  },
): BenchCase {
  return {
    id: `first-peer/${source}`,
    group: 'first-peer',
    unit: 'ms',
    provider,
    referenceNote: 'no reference: the three sources are compared with each other; the figures are absolute',
    setup: hooks.setup,
    teardown: hooks.teardown,
    async runFor(ms): Promise<SliceResult> {
      await hooks.beforeSlice?.()
      try {
        const times: number[] = []
        const began = performance.now()
        do {
          const t0 = performance.now()
          const close = await hooks.once()
          times.push(performance.now() - t0)
          await close()
        } while (performance.now() - began < ms)
        return latencyResult(times)
      } finally {
        await hooks.afterSlice?.()
      }
    },
  }
}

/** The persisted cache: a SQLite file with `CACHED` peers under the `waku` topic. */
function cacheCase(): BenchCase {
  let dir: string | undefined
  const path = () => {
    if (dir === undefined) throw new NotStartedError('first-peer/cache run before setup')
    return join(dir, 'node.db')
  }
  return latencyCase('cache', `peer-pool PeerCache over SQLite (node:sqlite, a file) of ${CACHED} peers`, {
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'parley-bench-peer-cache-'))
      const store = new SqliteStore({ path: path() })
      await store.start()
      const cache = new PeerCache(store, CACHED)
      for (let i = 0; i < CACHED; i++) {
        const id = i.toString(16).padStart(128, '0')
        await cache.add(
          { id, enode: `enode://${id}@10.0.0.${i}:30303`, lastConnected: 1_700_000_000_000 + i },
          [TOPIC],
        )
      }
      await store.stop()
    },
    async teardown() {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    },
    async once() {
      const store = new SqliteStore({ path: path() })
      await store.start()
      const [first] = await new PeerCache(store, CACHED).list(TOPIC)
      if (first === undefined) throw new VerificationError('the peer cache is empty')
      return () => store.stop()
    },
  })
}

function dnsCase(): BenchCase {
  let served: ServedTree | undefined
  return latencyCase('dns', 'DnsTreeClient.nextEnr on a loopback tree of 1000 ENRs, node:dns', {
    async setup() {
      served = await serveEnrTree(1000)
    },
    async teardown() {
      await served?.server.close()
    },
    async once() {
      if (served === undefined) throw new NotStartedError('first-peer/dns run before setup')
      const client = new DnsTreeClient({
        secp: await nodeSecp256k1(),
        resolveTxt: nodeResolveTxt({ servers: [`127.0.0.1:${served.server.port}`] }),
      })
      client.addTree(served.tree.url)
      if ((await client.nextEnr()) === undefined) throw new VerificationError('the tree gave no record')
      return async () => {}
    },
  })
}

/**
 * The network's nodes look up every 100 ms so it forms fast; a fresh node looks up at start and,
 * should that lookup fail (a loaded machine drops a UDP answer), again each second.
 */
function discv5Node(name: string, bootstrap: readonly string[], lookupIntervalMs?: number): ParleyNode {
  return createNode({
    name,
    logger: { level: 'error' },
    discovery: [
      discv5({
        host: '127.0.0.1',
        port: 0,
        tcp: 30303,
        bootstrap,
        requestTimeoutMs: 300,
        ...(lookupIntervalMs === undefined ? {} : { lookupIntervalMs }),
      }),
    ],
  })
}

function discovery(node: ParleyNode): Discv5Discovery {
  return node.service<Discv5Discovery>('discovery-discv5')
}

function discv5Case(): BenchCase {
  const network: ParleyNode[] = []
  let bootEnr = ''
  let others = new Set<string>()
  const stopNetwork = async () => {
    await Promise.allSettled(network.splice(0).map((node) => node.stop()))
  }
  // The network runs only during this case's slices: its lookups would load the other cases.
  return latencyCase('discv5', `discv5 on loopback UDP: one bootstrap record, a network of ${NETWORK + 1}`, {
    async setup() {},
    teardown: stopNetwork,
    afterSlice: stopNetwork,
    async beforeSlice() {
      const boot = discv5Node('bench-discv5-boot', [], 100)
      network.push(boot)
      await boot.start()
      bootEnr = discovery(boot).enr
      for (let i = 0; i < NETWORK; i++) {
        const node = discv5Node(`bench-discv5-${i}`, [bootEnr], 100)
        network.push(node)
        await node.start()
      }
      const deadline = Date.now() + DISCOVERY_TIMEOUT_MS
      while (discovery(boot).peers.length < NETWORK) {
        if (Date.now() > deadline) throw new TimeoutError('the discv5 network did not form')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      others = new Set(discovery(boot).peers.map((peer) => peer.id))
    },
    async once() {
      const node = discv5Node('bench-discv5-fresh', [bootEnr], 1000)
      const close = () => node.stop()
      try {
        const found = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new TimeoutError('no peer from discv5')),
            DISCOVERY_TIMEOUT_MS,
          )
          discovery(node).addEventListener('peer:discovery', (event) => {
            if (!others.has(event.detail.id)) return
            clearTimeout(timer)
            resolve()
          })
        })
        await node.start()
        await found
        return close
      } catch (error) {
        await close()
        throw error
      }
    },
  })
}

export function firstPeerCases(): BenchCase[] {
  return [cacheCase(), dnsCase(), discv5Case()]
}
