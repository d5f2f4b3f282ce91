/**
 * A per-peer token bucket: `requests` per `periodMs`, refilled continuously, as nwaku's per-peer
 * limiter allows bursts up to the volume. Idle peers are forgotten, so memory follows active peers.
 */
export interface RateLimit {
  requests: number
  periodMs: number
}

interface Bucket {
  tokens: number
  updated: number
}

export class PeerRateLimiter {
  readonly #limit: RateLimit | undefined
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()

  /** `limit` undefined, or 0 requests, means unlimited. */
  constructor(limit: RateLimit | undefined, now: () => number = Date.now) {
    this.#limit = limit === undefined || limit.requests <= 0 || limit.periodMs <= 0 ? undefined : limit
    this.#now = now
  }

  /** Takes one token for `peer`; false when the peer is over its limit. */
  take(peer: string): boolean {
    const limit = this.#limit
    if (limit === undefined) return true
    const now = this.#now()
    const bucket = this.#buckets.get(peer) ?? { tokens: limit.requests, updated: now }
    bucket.tokens = Math.min(
      limit.requests,
      bucket.tokens + ((now - bucket.updated) * limit.requests) / limit.periodMs,
    )
    bucket.updated = now
    this.#buckets.set(peer, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Forgets peers whose bucket has refilled completely (they have been idle a whole period). */
  prune(): void {
    const limit = this.#limit
    if (limit === undefined) return
    const now = this.#now()
    for (const [peer, bucket] of this.#buckets)
      if (now - bucket.updated >= limit.periodMs) this.#buckets.delete(peer)
  }

  get size(): number {
    return this.#buckets.size
  }
}
