/** The js-libp2p node the host runs: its types, and how one is built from the host's options. */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { type Identify, identify } from '@libp2p/identify'
import { mplex } from '@libp2p/mplex'
import { type PingService, ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import type { AbortOptions, Counter } from '@parley/interfaces'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { KeepAliveOptions } from './keepalive.ts'
import { libp2pPrivateKey } from './keys.ts'
import type { StaticPeerOptions } from './static-peers.ts'
import { protocolByteMetrics } from './stream-metrics.ts'
import { type WebSocketTlsOptions, webSocketTransport } from './websocket.ts'

export type Libp2pMuxer = 'yamux' | 'mplex'

export interface Libp2pHostOptions {
  privateKey: Uint8Array | undefined
  listen: string[]
  maxConnections: number
  muxers: Libp2pMuxer[]
  webSocket: WebSocketTlsOptions
  keepAlive: KeepAliveOptions
  staticPeers: StaticPeerOptions
}

/** The services every host runs; Waku v2 protocol plugins add theirs through `handle` or `node`. */
export interface Libp2pHostServices {
  identify: Identify
  ping: PingService
  [name: string]: unknown
}

export type Libp2pNode = Libp2p<Libp2pHostServices>

/** The stream `dialProtocol` resolves with and handlers receive (js-libp2p's `Stream`). */
export type Libp2pStream = Awaited<ReturnType<Libp2pNode['dialProtocol']>>

/**
 * A libp2p service factory, as `createLibp2p({ services })` takes it (`gossipsub(init)`, …). libp2p
 * builds services only at node creation, so a protocol plugin contributes one before the host starts.
 */
export type Libp2pServiceFactory = (components: never) => unknown

/** A new, not yet started node with `key` (32-byte secp256k1) as its identity. */
export async function createNode(
  options: Libp2pHostOptions,
  key: Uint8Array,
  services: ReadonlyMap<string, Libp2pServiceFactory>,
  protocolBytes: Counter,
  abort: AbortOptions,
): Promise<Libp2pNode> {
  const muxers = { yamux: yamux(), mplex: mplex() }
  return createLibp2p<Libp2pHostServices>({
    start: false,
    privateKey: libp2pPrivateKey(key),
    addresses: { listen: options.listen },
    transports: [tcp(), await webSocketTransport(options.webSocket, abort)],
    connectionEncrypters: [noise()],
    streamMuxers: options.muxers.map((name) => muxers[name]),
    connectionManager: { maxConnections: options.maxConnections },
    services: { ...Object.fromEntries(services), identify: identify(), ping: ping() },
    metrics: protocolByteMetrics(protocolBytes),
  })
}

/**
 * libp2p 2.10's address manager is not startable: closing the listeners at stop re-arms a 1 s
 * debounced peer-store update that outlives the node. Cancel it so stop leaves no timer behind.
 */
export function cancelAddressDebounce(node: Libp2pNode): void {
  const internals = node as unknown as {
    components?: { addressManager?: { _updatePeerStoreAddresses?: { stop?: () => void } } }
  }
  internals.components?.addressManager?._updatePeerStoreAddresses?.stop?.()
}
