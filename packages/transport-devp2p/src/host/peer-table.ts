/**
 * The connected peers: admitting a finished handshake under the peer-set rules (`peer-set.ts`),
 * routing its messages to the capability handlers, and the bookkeeping when it leaves (metrics,
 * `peer:connect`/`peer:disconnect` events, static-peer redials).
 */
import type { Socket } from 'node:net'
import type { ParleyEvents, TypedEventTarget } from '@parley/interfaces'
import { DecodeError } from '@parley/interfaces'
import type { SharedCapability } from '../capabilities.ts'
import { DISCONNECT_REASONS, disconnectReasonText } from '../p2p/messages.ts'
import type { RlpxConnection } from '../tcp/connection.ts'
import type { CapabilityHandlers } from './capabilities.ts'
import type { HostMetrics } from './metrics.ts'
import { Devp2pHostPeer, type PeerDirection } from './peer.ts'
import { admission as decide } from './peer-set.ts'
import type { StaticPeers } from './static-peers.ts'

/** What a connection reports before the table has admitted it as a peer. */
export interface Admission {
  peer?: Devp2pHostPeer
  early: Array<[SharedCapability, number, Uint8Array]>
  closed?: number
}

export interface PeerTableContext {
  metrics: HostMetrics
  events: TypedEventTarget<ParleyEvents>
  handlers: CapabilityHandlers
  staticPeers: StaticPeers
  maxPeers: number
  started(): boolean
}

export class PeerTable {
  readonly #peers = new Map<string, Devp2pHostPeer>()
  readonly #context: PeerTableContext

  constructor(context: PeerTableContext) {
    this.#context = context
  }

  get size(): number {
    return this.#peers.size
  }

  has(id: string): boolean {
    return this.#peers.has(id)
  }

  get(id: string): Devp2pHostPeer | undefined {
    return this.#peers.get(id)
  }

  list(): Devp2pHostPeer[] {
    return [...this.#peers.values()]
  }

  /** Admits a finished handshake, or disconnects it with the reason the rules give and throws. */
  admit(
    connection: RlpxConnection,
    socket: Socket,
    direction: PeerDirection,
    admission: Admission,
    localId: string,
  ): Devp2pHostPeer {
    const { metrics, handlers } = this.#context
    const id = connection.remoteId
    if (admission.closed !== undefined)
      throw new DecodeError(`peer closed before it was admitted: ${disconnectReasonText(admission.closed)}`)
    const verdict = decide({
      started: this.#context.started(),
      localId,
      remoteId: id,
      direction,
      peers: this.#peers,
      maxPeers: this.#context.maxPeers,
    })
    if (!verdict.admit) {
      connection.disconnect(verdict.reason)
      throw verdict.error
    }
    verdict.replaces?.disconnect(DISCONNECT_REASONS.alreadyConnected)
    const peer = new Devp2pHostPeer(connection, socket, direction, () => metrics.countWritten(socket))
    admission.peer = peer
    this.#peers.set(id, peer)
    this.#context.staticPeers.connected(id)
    metrics.peers(this.#peers.size)
    this.#context.events.safeDispatchEvent('peer:connect', {
      id,
      overlay: 'devp2p',
      address: peer.remoteAddress,
    })
    handlers.connected(peer)
    for (const [capability, code, data] of admission.early.splice(0))
      this.#deliver(peer, capability, code, data)
    return peer
  }

  /** A capability message: held until its connection is admitted, then delivered. */
  received(admission: Admission, capability: SharedCapability, code: number, data: Uint8Array): void {
    if (admission.peer === undefined) admission.early.push([capability, code, data])
    else this.#deliver(admission.peer, capability, code, data)
  }

  /** A session ended, admitted or not. */
  closed(admission: Admission, reason: number): void {
    const { peer } = admission
    if (peer === undefined) {
      admission.closed = reason
      return
    }
    if (this.#peers.get(peer.id) !== peer) return
    this.#peers.delete(peer.id)
    this.#context.metrics.countWritten(peer.socket)
    this.#context.metrics.peers(this.#peers.size)
    this.#context.handlers.disconnected(peer, reason)
    this.#context.events.safeDispatchEvent('peer:disconnect', {
      id: peer.id,
      overlay: 'devp2p',
      address: peer.remoteAddress,
      reason: disconnectReasonText(reason),
    })
    if (this.#context.started()) this.#context.staticPeers.dropped(peer.id)
  }

  #deliver(peer: Devp2pHostPeer, capability: SharedCapability, code: number, data: Uint8Array): void {
    this.#context.metrics.countWritten(peer.socket)
    this.#context.handlers.message(peer, capability, code, data)
  }
}
