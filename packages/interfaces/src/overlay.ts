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
}

/** RLPx v5 host: the devp2p overlay transport. */
export interface Devp2pHost extends Startable {
  readonly nodeId: string
  /** `enode://<id>@host:port` once listening */
  readonly enode: string | undefined
  registerCapability(capability: Devp2pCapability): void
  dial(enode: string, options?: AbortOptions): Promise<Devp2pPeer>
  peers(): Devp2pPeer[]
}

/** A libp2p stream handler, with the remote peer's id. */
export type Libp2pStreamHandler = (stream: unknown, remotePeer: string) => void | Promise<void>

/** libp2p host: the overlay transport for Waku v2. Kept small; the host also exposes its libp2p node. */
export interface Libp2pHost extends Startable {
  readonly peerId: string
  multiaddrs(): string[]
  dial(multiaddr: string, options?: AbortOptions): Promise<void>
  handle(protocol: string, handler: Libp2pStreamHandler): Promise<void>
  unhandle(protocol: string): Promise<void>
  connectedPeers(): string[]
}
