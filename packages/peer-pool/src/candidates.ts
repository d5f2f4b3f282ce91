import type { DiscoveredPeer } from '@parley/interfaces'
import type { CachedPeer } from './peer-cache.ts'
import { isDialable, type TopicLimits, topicsOf } from './topics.ts'

export interface Candidate {
  enode: string
  topics: string[]
  capabilities?: string[]
  origin: 'cache' | 'discovery'
  /** when a source last announced it (found-peer expiry counts from here) */
  seenAt: number
  /** no dial before this time */
  retryAt: number
  /** dials failed in a row; the retry delay doubles with each */
  failures: number
}

/** The peers the pool knows how to reach, from its cache and its sources, by node id. */
export class Candidates {
  readonly #topics: Readonly<Record<string, TopicLimits>>
  readonly #byId = new Map<string, Candidate>()

  constructor(topics: Readonly<Record<string, TopicLimits>>) {
    this.#topics = topics
  }

  get(id: string): Candidate | undefined {
    return this.#byId.get(id)
  }

  entries(): IterableIterator<[string, Candidate]> {
    return this.#byId.entries()
  }

  /**
   * Adds a dialable peer that counts for some topic; a known peer announced again is fresh again,
   * and with `news` (an event, not the same answer to a poll) it may be dialled at once. Returns
   * true when the peer was not known before.
   */
  remember(
    peer: DiscoveredPeer | CachedPeer,
    origin: Candidate['origin'],
    now: number,
    news = true,
  ): boolean {
    if (!isDialable(peer)) return false
    const topics = topicsOf(peer.capabilities, this.#topics)
    if (topics.length === 0) return false
    const existing = this.#byId.get(peer.id)
    if (existing !== undefined) {
      if (origin === 'discovery') {
        existing.seenAt = now
        // News: the peer may be back. A poll's repeats are not, or they would defeat the back-off.
        if (news) existing.retryAt = Math.min(existing.retryAt, now)
      }
      return false
    }
    this.#byId.set(peer.id, {
      enode: peer.enode,
      topics,
      origin,
      seenAt: now,
      retryAt: 0,
      failures: 0,
      ...(peer.capabilities === undefined ? {} : { capabilities: [...peer.capabilities] }),
    })
    return true
  }

  /** Forgets discovered peers announced last before `oldest`, unless `busy` (connected, dialling). Cached ones stay. */
  expire(oldest: number, busy: (id: string) => boolean): void {
    for (const [id, candidate] of this.#byId) {
      if (candidate.origin === 'discovery' && candidate.seenAt <= oldest && !busy(id)) this.#byId.delete(id)
    }
  }
}

/**
 * The wait before redialling a peer that failed `failures` times in a row: `fastIntervalMs`,
 * doubling up to `slowIntervalMs`. A restarted node whose cached peers are restarting too then
 * retries them within a fast interval, not a slow one.
 */
export function retryDelay(
  failures: number,
  { fastIntervalMs, slowIntervalMs }: { fastIntervalMs: number; slowIntervalMs: number },
): number {
  const doubled = fastIntervalMs * 2 ** Math.min(Math.max(failures - 1, 0), 30)
  return Math.min(doubled, Math.max(slowIntervalMs, fastIntervalMs))
}
