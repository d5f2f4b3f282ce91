/** A token bucket per direction, so one side cannot flood another through the bridge. */
import type { BridgeRateLimit } from './options.ts'

export class TokenBucket {
  readonly #perMs: number
  readonly #burst: number
  #tokens: number
  #at: number

  constructor(limit: Required<BridgeRateLimit>, now: number) {
    this.#perMs = limit.messagesPerSecond / 1000
    this.#burst = limit.burst
    this.#tokens = limit.burst
    this.#at = now
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#at) * this.#perMs)
    this.#at = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
