import type { AbortOptions, Startable } from '@parley/interfaces'
import type { Clock } from './clock.ts'
import type { CachedPeer } from './peer-cache.ts'
import type { TopicLimits } from './topics.ts'

/** Peer counts per topic, as the pool counts them. */
export interface PeerPoolStatus {
  peers: Record<string, number>
}

declare module '@parley/interfaces' {
  interface ParleyEvents {
    /** every topic has reached its `min` */
    'peerpool:satisfied': PeerPoolStatus
    /** a topic fell below its `min` after the pool had been satisfied */
    'peerpool:unsatisfied': PeerPoolStatus
    /** the pool started (or restarted) its discovery sources: some topic is below `max` (status-go `discovery.started`) */
    'discovery:started': PeerPoolStatus
    /** the pool paused its discovery sources: every topic is at `max`, or the pool stopped (`discovery.stopped`) */
    'discovery:stopped': PeerPoolStatus
    /** a peer counted by the pool connected or went away (`discovery.summary`) */
    'discovery:summary': PeerPoolStatus
  }
}

export interface PeerPoolInit {
  /** per-topic limits; default `DEFAULT_TOPICS` (whisper 2–3, whispermail 1–1) */
  topics?: Readonly<Record<string, TopicLimits>>
  /** discovery poll interval while a topic is below `min` (status-go's fast sync: 3000) */
  fastIntervalMs?: number
  /**
   * discovery poll interval between `min` and `max`, and the longest retry delay after failed dials
   * (30000); the first retry comes after `fastIntervalMs`, and the delay doubles with each failure
   */
  slowIntervalMs?: number
  /**
   * while some topic is below `min` and a search finds nothing new, the pool asks its sources to
   * re-check (`PeerDiscovery.refresh`, a DNS tree's root) at most this often, backing off to 16×
   * while re-checks find nothing (60000)
   */
  starvedRefreshMs?: number
  /** a discovered peer not announced again for this long is forgotten (status-go: 60 min) */
  foundPeerExpiryMs?: number
  /** peers remembered per topic in the key-value store (default 20) */
  cacheSize?: number
  /** bound on one dial; default: the host's own dial timeout */
  dialTimeoutMs?: number
  /** dials in flight at once (default 3) */
  maxPendingDials?: number
  /** timers and time; default the system's */
  clock?: Clock
}

/**
 * `cache`: dialling cached peers, discovery held back; `fast`/`slow`: discovery running and
 * polled at that interval; `suspended`: every topic at `max`, discovery sources paused.
 */
export type PeerPoolMode = 'stopped' | 'cache' | 'fast' | 'slow' | 'suspended'

export interface PeerPool extends Startable {
  readonly mode: PeerPoolMode
  /** every topic has at least `min` peers */
  readonly satisfied: boolean
  /** whether the pool has its discovery sources running (between `discovery:started` and `:stopped`) */
  readonly discovering: boolean
  /**
   * connected peers per configured topic, counting only the peers the pool dialled itself (as
   * status-go's `TopicPool.ConfirmAdded`): inbound peers never fill a topic
   */
  peerCounts(): Record<string, number>
  /** the key-value cache of one topic, most recent first; empty without a `keyValueStore` */
  cachedPeers(topic: string, options?: AbortOptions): Promise<CachedPeer[]>
}

export const PEER_POOL_DEFAULTS = {
  fastIntervalMs: 3_000,
  slowIntervalMs: 30_000,
  starvedRefreshMs: 60_000,
  foundPeerExpiryMs: 60 * 60 * 1000,
  cacheSize: 20,
  maxPendingDials: 3,
} as const

/** `PeerPoolInit` with the defaults filled in. */
export type ResolvedInit = Required<Omit<PeerPoolInit, 'dialTimeoutMs'>> & Pick<PeerPoolInit, 'dialTimeoutMs'>
