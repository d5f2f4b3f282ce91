/**
 * Per-peer request limit as nwaku's `RequestRateLimiter` applies it to peer exchange: `requests`
 * per `periodMs` and peer, refilled continuously (a token bucket), so short bursts pass.
 */
export interface RateLimit {
  requests: number
  periodMs: number
}

export class PeerRateLimiter {
  readonly #limit: RateLimit | undefined
  readonly #now: () => number
  readonly #buckets = new Map<string, { tokens: number; updated: number }>()

  /** `limit` undefined means unlimited. */
  constructor(limit: RateLimit | undefined, now: () => number = Date.now) {
    this.#limit = limit
    this.#now = now
  }

  /** Takes one token for `peer`; false when the peer is over its limit. */
  take(peer: string): boolean {
    const limit = this.#limit
    if (limit === undefined) return true
    const now = this.#now()
    // Idle peers are forgotten, so memory follows active peers.
    for (const [id, bucket] of this.#buckets)
      if (now - bucket.updated >= limit.periodMs) this.#buckets.delete(id)
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
}
