/**
 * The bridge's one memory of what it has carried, shared by every direction: a message is known by
 * its 4-byte topic and payload, the two things every side keeps (a re-sealed envelope gets a new
 * hash and a WakuMessage another one, but the v1-encrypted payload travels unchanged). So what we
 * post on one side and then hear back from it, or from a third side, is recognised and goes nowhere.
 */
import { bytesToHex, concatBytes, keccak256 } from '@parley/crypto'

export class SeenCache {
  readonly #capacity: number
  readonly #ttlMs: number
  /** key → when it is forgotten (unix ms); a Map keeps insertion order, so the oldest is first */
  readonly #entries = new Map<string, number>()

  constructor(capacity: number, ttlMs: number) {
    this.#capacity = capacity
    this.#ttlMs = ttlMs
  }

  /** The key of a message: keccak256(topic ‖ payload), hex. */
  static keyOf(topic: Uint8Array, payload: Uint8Array): string {
    return bytesToHex(keccak256(concatBytes(topic, payload)))
  }

  has(key: string, now: number): boolean {
    const until = this.#entries.get(key)
    return until !== undefined && until > now
  }

  /** Remembers `key`; false when it was already known (and still is). */
  add(key: string, now: number): boolean {
    this.#sweep(now)
    if (this.has(key, now)) return false
    this.#entries.delete(key)
    this.#entries.set(key, now + this.#ttlMs)
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
    return true
  }

  get size(): number {
    return this.#entries.size
  }

  clear(): void {
    this.#entries.clear()
  }

  /** Entries expire in insertion order (one TTL for all), so the sweep stops at the first live one. */
  #sweep(now: number): void {
    for (const [key, until] of this.#entries) {
      if (until > now) return
      this.#entries.delete(key)
    }
  }
}
