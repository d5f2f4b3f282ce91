/**
 * Real nodes on loopback for the messenger tests: devp2p + Waku v1, or libp2p + Waku v2 relay, each
 * with the secure transport, MVDS (short epochs) and the messenger, over a key-value store the test
 * keeps so a node can be restarted on the same data. `lossy` puts a link that drops a share of
 * posts between the messenger and the real privacy protocol.
 */
import { seededRandom, shuffled } from '@parley/compliance-tests'
import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey } from '@parley/crypto'
import {
  type Capability,
  devp2pHost,
  type KeyValueStore,
  keyValueStore,
  libp2pHost,
  type Plugin,
  type PrivacyProtocol,
  privacyProtocol,
  type Subscription,
  waku1Protocol,
  waku2Relay,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type SecureTransportInit, secureTransport } from '@parley/secure-transport'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { mvds } from '@parley/sync-mvds'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import type { Messenger, MessengerEvents, MessengerOptions } from '../src/index.ts'
import { messenger } from '../src/index.ts'

export type Flavour = 'waku1' | 'waku2'

export interface Peer {
  name: string
  flavour: Flavour
  identityKey: Uint8Array
  store: KeyValueStore
  node: ParleyNode
  messenger: Messenger
  received: MessengerEvents['message:received'][]
  delivered: MessengerEvents['message:delivered'][]
  rejected: MessengerEvents['message:rejected'][]
  updated: MessengerEvents['chat:updated'][]
  contactCodes: MessengerEvents['contact-code:received'][]
}

export interface PeerOptions {
  /** share of posts dropped, 0..1 */
  loss?: number
  ordering?: 'eventual' | 'consistent'
  identityKey?: Uint8Array
  store?: KeyValueStore
  messengerOptions?: MessengerOptions
  /** e.g. a clock for the secure transport's prekey refresh */
  secureOptions?: Pick<SecureTransportInit, 'now' | 'bundleRefreshIntervalMs'>
  /** more plugins, e.g. a history client */
  services?: Record<string, Plugin>
}

/** Posts per block of the loss pattern; each block loses exactly `round(loss · LOSS_BLOCK)` of them. */
const LOSS_BLOCK = 10

/**
 * Whether each next post is lost: in every block of `LOSS_BLOCK` posts, exactly `round(loss · 10)`
 * at seeded random places, so losses come in bursts (up to twice that many in a row, across a block
 * boundary) like a bad link's, yet the share lost stays as configured whatever the number of posts a
 * run makes (it depends on timing). A plain seeded draw per post could lose none, or half, of the few
 * dozen posts a run makes.
 */
function blockLosses(loss: number, seed: number): () => boolean {
  const random = seededRandom(seed)
  const dropsPerBlock = Math.round(loss * LOSS_BLOCK)
  let block: boolean[] = []
  return () => {
    if (block.length === 0)
      block = shuffled(
        Array.from({ length: LOSS_BLOCK }, (_, index) => index < dropsPerBlock),
        random,
      )
    return block.pop() ?? false
  }
}

const stats: Record<Flavour, { dropped: number; passed: number; links: number }> = {
  waku1: { dropped: 0, passed: 0, links: 0 },
  waku2: { dropped: 0, passed: 0, links: 0 },
}

/** How many posts the lossy links of a flavour dropped and passed so far, and how many links there were. */
export function linkStats(flavour: Flavour): { dropped: number; passed: number; links: number } {
  return { ...stats[flavour] }
}

/** Provides `privacyProtocol` ahead of the real one: it forwards posts except a `loss` share. */
function lossyLink(flavour: Flavour, loss: number): Plugin<PrivacyProtocol> {
  // Both provide `PrivacyProtocol`; the link only needs that surface.
  const real = (flavour === 'waku1' ? waku1Protocol : waku2Relay) as Capability<PrivacyProtocol>
  return {
    name: 'lossy-link',
    provides: [privacyProtocol],
    needs: [real],
    create(components) {
      const inner = components.get(real)
      stats[flavour].links++
      const lost = blockLosses(loss, stats[flavour].links)
      return Object.assign(Object.create(inner) as PrivacyProtocol, {
        protocol: inner.protocol,
        post: async (message: Parameters<PrivacyProtocol['post']>[0], options?: { signal?: AbortSignal }) => {
          if (lost()) {
            stats[flavour].dropped++
            return 'dropped'
          }
          stats[flavour].passed++
          return inner.post(message, options)
        },
        subscribe: (
          filter: Parameters<PrivacyProtocol['subscribe']>[0],
          handler: Parameters<PrivacyProtocol['subscribe']>[1],
        ): Promise<Subscription> => inner.subscribe(filter, handler),
        start: async () => {},
        stop: async () => {},
        isStarted: () => inner.isStarted?.() ?? true,
      })
    },
  }
}

const FAST_SYNC = {
  epochMs: 30,
  backoffSeconds: 1,
  epochsPerSecond: 1,
  jitterEpochs: 0,
  peerOnlineJitterEpochs: 1,
}

export async function startPeer(name: string, flavour: Flavour, options: PeerOptions = {}): Promise<Peer> {
  const identityKey = options.identityKey ?? generatePrivateKey()
  const store = options.store ?? new MemoryKeyValueStore()
  const sharedStore: Plugin<KeyValueStore> = { name: 'kv', provides: [keyValueStore], create: () => store }
  const transport =
    flavour === 'waku1'
      ? [devp2p({ port: 0, clientId: name }), waku1({ minPow: 0.002 })]
      : [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }), wakuRelay({ gossipsub: { heartbeatInterval: 100 } })]
  const node = createNode({
    name,
    logger: { level: 'error' },
    plugins: options.loss === undefined ? [] : [lossyLink(flavour, options.loss)],
    protocols: transport,
    store: sharedStore,
    services: {
      secure: secureTransport({ identityKey, installationId: `${name}-device`, ...options.secureOptions }),
      mvds: mvds({ schedule: FAST_SYNC, ordering: options.ordering ?? 'eventual' }),
      messenger: messenger({ identityKey, pow: 0.002, ttl: 30, ...options.messengerOptions }),
      ...options.services,
    },
  })
  await node.start()
  const service = node.service<Messenger>('messenger')
  const peer: Peer = {
    name,
    flavour,
    identityKey,
    store,
    node,
    messenger: service,
    received: [],
    delivered: [],
    rejected: [],
    updated: [],
    contactCodes: [],
  }
  service.addEventListener('message:received', (event) => peer.received.push(event.detail))
  service.addEventListener('message:delivered', (event) => peer.delivered.push(event.detail))
  service.addEventListener('message:rejected', (event) => peer.rejected.push(event.detail))
  service.addEventListener('chat:updated', (event) => peer.updated.push(event.detail))
  service.addEventListener('contact-code:received', (event) => peer.contactCodes.push(event.detail))
  return peer
}

/** Stops the node and starts a new one on the same key and store: a restart of the process. */
export async function restart(peer: Peer, options: PeerOptions = {}): Promise<Peer> {
  await peer.node.stop()
  return startPeer(peer.name, peer.flavour, { ...options, identityKey: peer.identityKey, store: peer.store })
}

/** Connects `a` to `b` and waits until either can post to the other. */
export async function link(a: Peer, b: Peer): Promise<void> {
  if (a.flavour === 'waku1') {
    const enode = b.node.get(devp2pHost).enode
    if (enode === undefined) throw new Error('node is not listening')
    await a.node.get(devp2pHost).dial(enode)
    const ready = (x: Peer, y: Peer) =>
      x.node.get(waku1Protocol).readyPeers().includes(y.node.get(devp2pHost).nodeId)
    await until(() => ready(a, b) && ready(b, a), 'the waku/1 handshake')
  } else {
    const address = b.node.get(libp2pHost).multiaddrs()[0]
    if (address === undefined) throw new Error('node is not listening')
    await a.node.get(libp2pHost).dial(address)
    const relay = (x: Peer) => x.node.get(waku2Relay) as unknown as WakuRelay
    await Promise.all([relay(a).waitForPeers(), relay(b).waitForPeers()])
  }
}

export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export async function stopAll(peers: readonly Peer[]): Promise<void> {
  await Promise.allSettled(peers.map((peer) => peer.node.stop()))
}
