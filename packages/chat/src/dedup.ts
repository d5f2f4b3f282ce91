/**
 * Drops messages already seen, by Status message id. The same message arrives more than once as a
 * matter of course (several relays, store queries overlapping live traffic, MVDS retransmits).
 */
import { bytesToHex } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'

export interface MessageDeduplicatorOptions {
  /** how many ids to remember; the oldest are forgotten first (default 10 000) */
  capacity?: number
}

export class MessageDeduplicator {
  readonly #seen = new Set<string>()
  readonly #capacity: number

  constructor(options: MessageDeduplicatorOptions = {}) {
    const capacity = options.capacity ?? 10_000
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidParametersError('MessageDeduplicator capacity must be a positive integer')
    }
    this.#capacity = capacity
  }

  /** true the first time an id is offered, false for every repeat while it is remembered */
  isNew(id: Uint8Array): boolean {
    const key = bytesToHex(id)
    if (this.#seen.has(key)) return false
    this.#seen.add(key)
    if (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.values().next().value
      if (oldest !== undefined) this.#seen.delete(oldest)
    }
    return true
  }

  get size(): number {
    return this.#seen.size
  }
}
