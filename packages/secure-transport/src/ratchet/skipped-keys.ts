/**
 * Message keys of skipped messages, as status-go keeps them (status-im/doubleratchet `State.applyChanges`
 * with the SQL key store of protocol/encryption/persistence.go). Each key carries a sequence number
 * taken from the session's running count of skipped keys; eviction drops the lowest numbers first.
 */
import { bytesToHex } from '@parley/crypto'

export interface SkippedKey {
  /** the remote ratchet public key of the chain the key belongs to */
  dh: Uint8Array
  n: number
  messageKey: Uint8Array
  seq: number
}

function slot(dh: Uint8Array, n: number): string {
  return `${bytesToHex(dh)}:${n}`
}

export class SkippedKeys {
  // A Map iterates in insertion order, which is ascending `seq` order because keys are only added
  // with growing sequence numbers; eviction relies on that.
  readonly #keys = new Map<string, SkippedKey>()

  get size(): number {
    return this.#keys.size
  }

  get(dh: Uint8Array, n: number): SkippedKey | undefined {
    return this.#keys.get(slot(dh, n))
  }

  put(key: SkippedKey): void {
    this.#keys.set(slot(key.dh, key.n), key)
  }

  delete(dh: Uint8Array, n: number): void {
    this.#keys.delete(slot(dh, n))
  }

  /** Keeps only the `max` newest keys (persistence.go `TruncateMks`). */
  truncate(max: number): void {
    let excess = this.#keys.size - max
    for (const id of this.#keys.keys()) {
      if (excess <= 0) break
      this.#keys.delete(id)
      excess--
    }
  }

  /** Drops every key whose sequence number is at most `seq` (persistence.go `DeleteOldMks`). */
  deleteUpTo(seq: number): void {
    for (const [id, key] of this.#keys) {
      if (key.seq > seq) break
      this.#keys.delete(id)
    }
  }

  values(): IterableIterator<SkippedKey> {
    return this.#keys.values()
  }
}
