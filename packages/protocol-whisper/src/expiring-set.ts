/**
 * A bounded set of keys that each expire at a given time. Insertion order is kept, so when the set
 * is full the oldest entry goes first. Used for the duplicate cache and each peer's known hashes.
 */
export class ExpiringSet<K> {
  readonly #expiries = new Map<K, number>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#expiries.size
  }

  /** True while `key` is present and its expiry is not before `now`. */
  has(key: K, now: number): boolean {
    const expiry = this.#expiries.get(key)
    return expiry !== undefined && expiry >= now
  }

  add(key: K, expiry: number): void {
    this.#expiries.delete(key)
    this.#expiries.set(key, expiry)
    while (this.#expiries.size > this.#capacity) {
      const oldest = this.#expiries.keys().next()
      if (oldest.done === true) break
      this.#expiries.delete(oldest.value)
    }
  }

  /** Removes every entry whose expiry is before `now`. */
  sweep(now: number): void {
    for (const [key, expiry] of this.#expiries) if (expiry < now) this.#expiries.delete(key)
  }

  clear(): void {
    this.#expiries.clear()
  }
}
