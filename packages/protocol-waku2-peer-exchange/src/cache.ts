/**
 * The records a peer exchange server hands out: the newest `capacity` records fed to it (from
 * discv5 by default, as nwaku serves only discv5-found peers), one per node, oldest dropped first.
 * 34/WAKU2-PEER-EXCHANGE asks for a cache of at least 60 refreshed over time; discovery refreshes it.
 */
import { decodeEnrContent, type EnrContent } from '@parley/enr'
import { clusterMismatch } from './peer.ts'

interface Cached {
  bytes: Uint8Array
  content: EnrContent
}

export class EnrCache {
  readonly #capacity: number
  /** by the record's public key; Map order is insertion order, so the first is the oldest */
  readonly #records = new Map<string, Cached>()

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#records.size
  }

  /**
   * Adds a record (RLP bytes or `enr:` text); a lower or equal seq for a known key is ignored.
   * Returns false for a record that does not decode or lacks a key. Signatures were checked by the
   * discovery that found it; clients verify again.
   */
  add(record: Uint8Array | string): boolean {
    let content: EnrContent & { bytes: Uint8Array }
    try {
      content = decodeEnrContent(record)
    } catch {
      return false
    }
    const key = content.entries.get('secp256k1')
    if (!(key instanceof Uint8Array)) return false
    const id = Buffer.from(key).toString('hex')
    const known = this.#records.get(id)
    if (known !== undefined && known.content.seq >= content.seq) return true
    this.#records.delete(id)
    this.#records.set(id, { bytes: content.bytes, content })
    for (const oldest of this.#records.keys()) {
      if (this.#records.size <= this.#capacity) break
      this.#records.delete(oldest)
    }
    return true
  }

  /** Up to `count` records chosen uniformly at random, skipping those of another cluster. */
  sample(count: number, clusterId?: number): Uint8Array[] {
    const eligible = [...this.#records.values()].filter(
      (cached) => !clusterMismatch(cached.content, clusterId),
    )
    // Partial Fisher–Yates: the first `count` slots end up a uniform sample.
    const take = Math.min(count, eligible.length)
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(Math.random() * (eligible.length - i))
      const swap = eligible[i]!
      eligible[i] = eligible[j]!
      eligible[j] = swap
    }
    return eligible.slice(0, take).map((cached) => cached.bytes)
  }
}
