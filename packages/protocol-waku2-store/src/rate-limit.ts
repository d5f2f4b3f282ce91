/**
 * One token bucket for all peers, refilled in full every period, as nwaku's `TokenBucket` for store
 * requests (unlike the per-peer, continuously refilled `PeerRateLimiter` of filter and lightpush).
 */
import type { RateLimit } from '@parley/protocol-waku2'

export class RequestLimiter {
  readonly #limit: RateLimit | undefined
  #tokens = 0
  #refilledAt = Number.NEGATIVE_INFINITY

  constructor(limit: RateLimit | undefined) {
    this.#limit = limit
  }

  /** true when a request may go ahead now (always, without a limit). */
  tryTake(now = Date.now()): boolean {
    const limit = this.#limit
    if (limit === undefined) return true
    if (now - this.#refilledAt >= limit.periodMs) {
      this.#tokens = limit.requests
      this.#refilledAt = now
    }
    if (this.#tokens === 0) return false
    this.#tokens--
    return true
  }
}
