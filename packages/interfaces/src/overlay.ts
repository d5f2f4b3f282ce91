import type { AbortOptions } from './abort.ts'
import type { Startable } from './startable.ts'

/** A devp2p (RLPx) peer as a capability handler sees it. */
export interface Devp2pPeer {
  /** 64-byte uncompressed public key without the 0x04 prefix, hex */
  readonly id: string
  readonly remoteAddress: string
  readonly clientId: string
  /** Sends `payload` (RLP-encoded message data) as `code`, relative to the capability's offset. */
  send(code: number, payload: Uint8Array, options?: AbortOptions): Promise<void>
  disconnect(reason?: number): void
}

/**
 * A devp2p subprotocol such as `shh/6` or `waku/1`. `length` is the number of message codes the
 * capability reserves (128 for Whisper and Waku, as go-ethereum and status-go register them).
 */
export interface Devp2pCapability {
  name: string
  version: number
  length: number
  onPeerConnect(peer: Devp2pPeer): void | Promise<void>
  onMessage(peer: Devp2pPeer, code: number, payload: Uint8Array): void | Promise<void>
  onPeerDisconnect(peer: Devp2pPeer, reason?: number): void
  /** What `admin_peers[].protocols[name]` shows for this peer (geth's `PeerInfo`); `undefined` shows `"handshake"`. */
  info?(peer: Devp2pPeer): unknown
  /** What `admin_nodeInfo.protocols[name]` shows (geth's `NodeInfo`). */
  nodeInfo?(): unknown
}

/** A connected peer as geth's `admin_peers` reports it. */
export interface Devp2pPeerInfo {
  /** node id, 128 hex digits */
  id: string
  /** the client id from its Hello */
  name: string
  enode: string
  /** shared capabilities, `name/version` */
  caps: string[]
  network: {
    localAddress: string
    remoteAddress: string
    inbound: boolean
    trusted: boolean
    static: boolean
  }
  /** per capability name, what its protocol reports about the peer (or `"handshake"`) */
  protocols: Record<string, unknown>
}

/** This node as geth's `admin_nodeInfo` reports it. */
export interface Devp2pNodeInfo {
  id: string
  name: string
  enode: string
  ip: string
  ports: { discovery: number; listener: number }
  listenAddr: string
  /** per registered capability name, what its protocol reports (status-go: version, pow, …) */
  protocols: Record<string, unknown>
}

/** RLPx v5 host: the devp2p overlay transport. */
export interface Devp2pHost extends Startable {
  readonly nodeId: string
  /** `enode://<id>@host:port` once listening */
  readonly enode: string | undefined
  registerCapability(capability: Devp2pCapability): void
  dial(enode: string, options?: AbortOptions): Promise<Devp2pPeer>
  peers(): Devp2pPeer[]
  /** Adds a static peer (geth's `admin_addPeer`): dialled now and redialled whenever it drops. */
  addPeer(enode: string): void
  /** Forgets a static peer and disconnects it (geth's `admin_removePeer`); false when unknown. */
  removePeer(enode: string): boolean
  peerInfo(): Devp2pPeerInfo[]
  nodeInfo(): Devp2pNodeInfo
}

/** Where an inbound libp2p stream comes from, besides the peer id. */
export interface Libp2pStreamSource {
  /** the connection's remote multiaddr (js-libp2p ends it in `/p2p/<id>`) */
  remoteAddr: string
}

/** A libp2p stream handler, with the remote peer's id and address. */
export type Libp2pStreamHandler = (
  stream: unknown,
  remotePeer: string,
  source: Libp2pStreamSource,
) => void | Promise<void>

/** A connected libp2p peer, as admin APIs list it. */
export interface Libp2pPeerInfo {
  id: string
  /** the remote multiaddrs of its open connections, each ending in `/p2p/<id>` */
  addresses: string[]
  /** the protocols it announced (identify), sorted */
  protocols: string[]
}

/** libp2p host: the overlay transport for Waku v2. Kept small; the host also exposes its libp2p node. */
export interface Libp2pHost extends Startable {
  readonly peerId: string
  multiaddrs(): string[]
  dial(multiaddr: string, options?: AbortOptions): Promise<void>
  /**
   * Opens a stream to `peer` on the first of `protocols` it supports. `peer` is a multiaddr ending
   * in `/p2p/<id>` (dialled when not connected) or a peer id (connected, or known to the peer
   * store). Resolves with the libp2p stream (transport-libp2p's `Libp2pStream`); it carries the
   * negotiated `protocol`. Throws `InvalidParametersError` for a malformed `peer`.
   */
  dialProtocol(peer: string, protocols: string | readonly string[], options?: AbortOptions): Promise<unknown>
  handle(protocol: string, handler: Libp2pStreamHandler): Promise<void>
  unhandle(protocol: string): Promise<void>
  connectedPeers(): string[]
  /** The connected peers with their addresses and announced protocols. */
  peerInfo(options?: AbortOptions): Promise<Libp2pPeerInfo[]>
  /**
   * Adds a js-libp2p service (gossipsub, say) to the node the host creates at start; call it from a
   * plugin's `create`. `factory` receives libp2p's internal components. Throws after start.
   */
  addService(name: string, factory: (components: never) => unknown): void
}
