/** Connection bookkeeping: which peers the node is connected to, as metrics and `peer:*` events. */
import type { ParleyEvents, TypedEventTarget } from '@parley/interfaces'
import type { Libp2pHostMetrics } from './metrics.ts'
import type { Libp2pNode } from './node.ts'

type PeerEvent = CustomEvent<{ toString(): string }>

export class ConnectedPeers {
  readonly #metrics: Libp2pHostMetrics
  readonly #events: TypedEventTarget<ParleyEvents>
  readonly #connected = new Set<string>()

  constructor(metrics: Libp2pHostMetrics, events: TypedEventTarget<ParleyEvents>) {
    this.#metrics = metrics
    this.#events = events
  }

  /** Follows the node's connections until `detach`. */
  attach(node: Libp2pNode): void {
    node.addEventListener('peer:connect', this.#onConnect)
    node.addEventListener('peer:disconnect', this.#onDisconnect)
  }

  detach(node: Libp2pNode): void {
    node.removeEventListener('peer:connect', this.#onConnect)
    node.removeEventListener('peer:disconnect', this.#onDisconnect)
  }

  /** Counts `id` as gone and says so, once; `reason` goes into the event when given. */
  gone(id: string, reason?: string): void {
    if (!this.#connected.delete(id)) return
    this.#metrics.disconnections.inc()
    this.#metrics.peers.set(this.#connected.size)
    this.#events.safeDispatchEvent('peer:disconnect', {
      id,
      overlay: 'libp2p',
      ...(reason === undefined ? {} : { reason }),
    })
  }

  readonly #onConnect = (event: PeerEvent): void => {
    const id = event.detail.toString()
    if (this.#connected.has(id)) return
    this.#connected.add(id)
    this.#metrics.connections.inc()
    this.#metrics.peers.set(this.#connected.size)
    this.#events.safeDispatchEvent('peer:connect', { id, overlay: 'libp2p' })
  }

  readonly #onDisconnect = (event: PeerEvent): void => {
    this.gone(event.detail.toString())
  }
}
