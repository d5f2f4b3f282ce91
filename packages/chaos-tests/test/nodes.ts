/**
 * The nodes of the chaos network, all on 127.0.0.1: plain Waku v1 bootnodes, a rendezvous server,
 * and members that find peers through a peer pool (SQLite cache), the DNS tree and rendezvous.
 * Keys and devp2p ports are fixed per node, so a restarted node is the same enode.
 */
import { join } from 'node:path'
import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey, nodeIdFromPublicKey } from '@parley/crypto'
import { dnsDiscovery } from '@parley/discovery-dns'
import { rendezvousDiscovery, rendezvousServer } from '@parley/discovery-rendezvous'
import { type NodeIdentity, nodeIdentity, type Plugin, type Secp256k1Provider } from '@parley/interfaces'
import { peerPool } from '@parley/peer-pool'
import { waku1 } from '@parley/protocol-waku1'
import { sqliteStore } from '@parley/store-sqlite'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'

export const LOOPBACK = '127.0.0.1'
/** Status clients seal at 0.002. */
export const POW = 0.002
const silent = { level: 'silent' } as const

/** A node's lasting self: its key, and its devp2p port once it has had one. */
export interface NodeSpec {
  name: string
  privateKey: Uint8Array
  /** 0 until first start; then kept, so peers' caches stay valid across restarts */
  port: number
}

export function nodeSpec(name: string): NodeSpec {
  return { name, privateKey: generatePrivateKey(), port: 0 }
}

function identity(spec: NodeSpec, secp: Secp256k1Provider): Plugin<NodeIdentity> {
  const publicKey = secp.getPublicKey(spec.privateKey, false)
  return {
    name: 'identity',
    provides: [nodeIdentity],
    create: () => ({ privateKey: spec.privateKey, publicKey, nodeId: nodeIdFromPublicKey(publicKey) }),
  }
}

/** A bootnode: Waku v1 on devp2p and nothing else; `staticPeers` are dialled and kept. */
export function bootnode(
  spec: NodeSpec,
  secp: Secp256k1Provider,
  staticPeers: readonly string[] = [],
): ParleyNode {
  return createNode({
    name: spec.name,
    plugins: [identity(spec, secp)],
    transports: [devp2p({ host: LOOPBACK, port: spec.port, staticPeers, dialTimeoutMs: 1000 })],
    protocols: [waku1({ minPow: POW })],
    logger: silent,
  })
}

/** The rendezvous server: libp2p only, same key and port on every start. */
export function rendezvousNode(spec: NodeSpec, secp: Secp256k1Provider): ParleyNode {
  return createNode({
    name: spec.name,
    plugins: [identity(spec, secp)],
    transports: [libp2p({ listen: [`/ip4/${LOOPBACK}/tcp/${spec.port}`] })],
    services: { rendezvous: rendezvousServer() },
    logger: silent,
  })
}

/** The pool's limits: status-go's for a mobile node (`WAKU_TOPICS`). */
export const WAKU_LIMITS = { min: 2, max: 3 }

/** Where a member finds the network. */
export interface EntryPoints {
  /** `enrtree://…` URLs */
  trees: readonly string[]
  /** `host:port` of the DNS server */
  dnsServer: string
  /** rendezvous server multiaddrs (empty: no rendezvous) */
  rendezvous: readonly string[]
}

export interface MemberInit {
  /** directory for the member's SQLite peer cache; undefined: no store, so no cache */
  dir: string | undefined
}

/**
 * A member: Waku v1, a peer pool keeping 2–3 `waku` peers with short intervals, DNS discovery and
 * (with servers) rendezvous, registering itself under `waku`.
 */
export function member(
  spec: NodeSpec,
  secp: Secp256k1Provider,
  entry: EntryPoints,
  init: MemberInit,
): ParleyNode {
  const dns = dnsDiscovery({
    urls: [...entry.trees],
    servers: [entry.dnsServer],
    secp,
    timeoutMs: 1000,
  })
  const rendezvous =
    entry.rendezvous.length === 0
      ? []
      : [
          rendezvousDiscovery({
            servers: entry.rendezvous,
            register: ['waku'],
            topics: ['waku'],
            requestTimeoutMs: 1000,
            registerIntervalMs: 1000,
          }),
        ]
  return createNode({
    name: spec.name,
    plugins: [identity(spec, secp)],
    transports: [
      devp2p({ host: LOOPBACK, port: spec.port, dialTimeoutMs: 1000 }),
      ...(rendezvous.length === 0 ? [] : [libp2p({ listen: [`/ip4/${LOOPBACK}/tcp/0`] })]),
    ],
    protocols: [waku1({ minPow: POW })],
    discovery: [dns, ...rendezvous],
    ...(init.dir === undefined
      ? {}
      : { store: sqliteStore({ path: join(init.dir, `${spec.name}.sqlite3`) }) }),
    services: {
      pool: peerPool({
        topics: { waku: WAKU_LIMITS },
        fastIntervalMs: 100,
        // also the wait before a failed peer is retried: long enough that a restarted node's own
        // cache dials, not its neighbours' retries, bring it back
        slowIntervalMs: 1500,
        // the DNS tree's root is re-checked when the pool is starved; the default floor (60 s) would
        // outlast the step deadline, so the test shortens it (the DNS refresh itself stays 30 min)
        starvedRefreshMs: 250,
        dialTimeoutMs: 1000,
      }),
    },
    logger: silent,
  })
}
