/**
 * Per-peer request limit: at most `requests` in any `windowMs`. status-go allows one request per
 * configured interval; a window with a small burst lets a client page through a cursor quickly
 * while a flood still gets refused.
 */
/** Peers tracked before idle ones are swept on the next request. */
const SWEEP_ABOVE = 1024

export interface RateLimit {
  requests: number
  windowMs: number
}

export class PeerRateLimiter {
  readonly #limit: RateLimit
  readonly #recent = new Map<string, number[]>()

  constructor(limit: RateLimit) {
    this.#limit = limit
  }

  /** Records a request from `peer` at `nowMs` and says whether it is within the limit. */
  allow(peer: string, nowMs: number): boolean {
    const since = nowMs - this.#limit.windowMs
    const times = (this.#recent.get(peer) ?? []).filter((time) => time > since)
    const allowed = times.length < this.#limit.requests
    if (allowed) times.push(nowMs)
    this.#recent.set(peer, times)
    if (this.#recent.size > SWEEP_ABOVE) this.sweep(nowMs)
    return allowed
  }

  /** Forgets peers with no request inside the window, so the map does not grow without bound. */
  sweep(nowMs: number): void {
    const since = nowMs - this.#limit.windowMs
    for (const [peer, times] of this.#recent) {
      if (times.every((time) => time <= since)) this.#recent.delete(peer)
    }
  }

  get size(): number {
    return this.#recent.size
  }
}
