import type { AbortOptions, Startable } from '@parley/interfaces'
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
  }
}

export interface PeerPoolInit {
  /** per-topic limits; default `DEFAULT_TOPICS` (whisper 2–3, mailserver 1–1) */
  topics?: Record<string, TopicLimits>
  /** discovery poll interval while a topic is below `min` (status-go's fast sync: 3000) */
  fastIntervalMs?: number
  /** discovery poll interval between `min` and `max`, and the retry delay after a failed dial (30000) */
  slowIntervalMs?: number
  /** peers remembered per topic in the key-value store (default 20) */
  cacheSize?: number
  /** bound on one dial; default: the host's own dial timeout */
  dialTimeoutMs?: number
  /** dials in flight at once (default 3) */
  maxPendingDials?: number
}

/**
 * `cache`: dialling cached peers, discovery held back; `fast`/`slow`: discovery running and
 * polled at that interval; `suspended`: every topic at `max`, discovery sources stopped.
 */
export type PeerPoolMode = 'stopped' | 'cache' | 'fast' | 'slow' | 'suspended'

export interface PeerPool extends Startable {
  readonly mode: PeerPoolMode
  /** every topic has at least `min` peers */
  readonly satisfied: boolean
  /** connected peers per configured topic */
  peerCounts(): Record<string, number>
  /** the key-value cache of one topic, most recent first; empty without a `keyValueStore` */
  cachedPeers(topic: string, options?: AbortOptions): Promise<CachedPeer[]>
}

export const PEER_POOL_DEFAULTS = {
  fastIntervalMs: 3_000,
  slowIntervalMs: 30_000,
  cacheSize: 20,
  maxPendingDials: 3,
} as const

/** `PeerPoolInit` with the defaults filled in. */
export type ResolvedInit = Required<Omit<PeerPoolInit, 'dialTimeoutMs'>> & Pick<PeerPoolInit, 'dialTimeoutMs'>
