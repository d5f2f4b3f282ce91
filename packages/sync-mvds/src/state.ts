/**
 * MVDS sync state: one record per (message, peer) saying what to send that peer next (OFFER,
 * REQUEST or MESSAGE), how often it was sent and when it is next due. ACKs are not records:
 * they are sent once, whenever a MESSAGE arrives (status-im/mvds `state`).
 */
import { bytesToHex } from '@parley/crypto'

export type RecordType = 'OFFER' | 'REQUEST' | 'MESSAGE'

/** Peers are opaque strings chosen by the caller (status-go uses the hex public key). */
export type PeerId = string

export interface SyncRecord {
  type: RecordType
  /** absent for REQUESTs triggered by a plain OFFER, which does not name the group */
  groupId: Uint8Array | undefined
  messageId: Uint8Array
  peer: PeerId
  /** how many times this record was sent */
  sendCount: number
  /** the epoch at which it is next due */
  sendEpoch: number
}

function key(messageId: Uint8Array, peer: PeerId): string {
  return `${bytesToHex(messageId)}/${peer}`
}

/** A record written (`record` set) or removed (`record` undefined) since the last `takeChanges`. */
export interface RecordChange {
  messageId: Uint8Array
  peer: PeerId
  record: SyncRecord | undefined
}

/**
 * In-memory records plus a journal of the keys changed since `takeChanges` was last called, so a
 * persistence layer writes only what changed. Mutate a record in place, then `put` it again.
 */
export class SyncState {
  readonly #records = new Map<string, SyncRecord>()
  readonly #changed = new Map<string, { messageId: Uint8Array; peer: PeerId }>()

  get size(): number {
    return this.#records.size
  }

  get(messageId: Uint8Array, peer: PeerId): SyncRecord | undefined {
    return this.#records.get(key(messageId, peer))
  }

  put(record: SyncRecord): void {
    const k = key(record.messageId, record.peer)
    this.#records.set(k, record)
    this.#changed.set(k, { messageId: record.messageId, peer: record.peer })
  }

  /** Removes and returns the record, if any. */
  remove(messageId: Uint8Array, peer: PeerId): SyncRecord | undefined {
    const k = key(messageId, peer)
    const record = this.#records.get(k)
    if (record !== undefined) {
      this.#records.delete(k)
      this.#changed.set(k, { messageId: record.messageId, peer })
    }
    return record
  }

  /** The journal since the last call (copies of current records), then clears it. */
  takeChanges(): RecordChange[] {
    const changes = [...this.#changed].map(([k, { messageId, peer }]) => {
      const record = this.#records.get(k)
      return { messageId, peer, record: record === undefined ? undefined : { ...record } }
    })
    this.#changed.clear()
    return changes
  }

  /** Records due at `epoch`, oldest due first (stable for equal epochs). */
  due(epoch: number): SyncRecord[] {
    return [...this.#records.values()]
      .filter((r) => r.sendEpoch <= epoch)
      .sort((a, b) => a.sendEpoch - b.sendEpoch)
  }

  /** The earliest send epoch of any record. */
  nextDue(): number | undefined {
    let next: number | undefined
    for (const record of this.#records.values())
      if (next === undefined || record.sendEpoch < next) next = record.sendEpoch
    return next
  }

  forPeer(peer: PeerId): SyncRecord[] {
    return [...this.#records.values()].filter((r) => r.peer === peer)
  }

  /** Copies of every record (for persistence and inspection). */
  all(): SyncRecord[] {
    return [...this.#records.values()].map((r) => ({ ...r }))
  }
}
