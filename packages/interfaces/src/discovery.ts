import type { AbortOptions } from './abort.ts'
import type { TypedEventTarget } from './events.ts'
import type { Startable } from './startable.ts'

/** A peer found by a discovery mechanism; at least one address form is set. */
export interface DiscoveredPeer {
  /**
   * The peer's id on its overlay, as `PeerEventDetail` and the transports use it: for devp2p the
   * enode id (the 64-byte public key, 128 hex digits), for libp2p-only peers the libp2p peer id.
   */
  id: string
  enode?: string
  enr?: string
  multiaddrs?: string[]
  /** e.g. `whisper`, `waku`, `waku2:relay`, `waku2:store`, `mailserver` */
  capabilities?: string[]
}

export interface PeerDiscoveryEvents {
  'peer:discovery': DiscoveredPeer
}

/** A source of peers: static list, DNS tree, discv5, rendezvous. */
export interface PeerDiscovery extends Startable, TypedEventTarget<PeerDiscoveryEvents> {
  readonly source: string
  /** Finds up to `limit` peers now; continuous discovery reports through `peer:discovery`. */
  findPeers(limit: number, options?: AbortOptions): Promise<DiscoveredPeer[]>
  /**
   * Feedback from the dialler (a peer pool): the peer with this id is connected, so the source may
   * stop announcing it. Optional; a source that keeps no per-peer state ignores it.
   */
  markConnected?(id: string): void
  /** Feedback from the dialler: the peer with this id went away and is worth announcing again. */
  markDisconnected?(id: string): void
  /**
   * Stops searching without stopping the source: unlike `stop`, whatever the source does besides
   * searching (a rendezvous client's registrations, say) goes on. A peer pool pauses its sources
   * while every topic is full. Sources without it are stopped and started instead.
   */
  pause?(): void
  /** Searches again after `pause`. */
  resume?(): void
  /**
   * Re-checks now what the source otherwise re-checks on its own timer (a DNS tree's root), and
   * resolves with the peers that are new; they are also reported through `peer:discovery`. A peer
   * pool calls it while it is starved and its searches find nothing new, with its own back-off.
   * Optional; a source that has nothing to re-check leaves it out.
   */
  refresh?(options?: AbortOptions): Promise<DiscoveredPeer[]>
}
