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

/** In-memory record store; a persistent one can replace it by replaying `all()` into `put`. */
export class SyncState {
  readonly #records = new Map<string, SyncRecord>()

  get size(): number {
    return this.#records.size
  }

  get(messageId: Uint8Array, peer: PeerId): SyncRecord | undefined {
    return this.#records.get(key(messageId, peer))
  }

  put(record: SyncRecord): void {
    this.#records.set(key(record.messageId, record.peer), record)
  }

  /** Removes and returns the record, if any. */
  remove(messageId: Uint8Array, peer: PeerId): SyncRecord | undefined {
    const k = key(messageId, peer)
    const record = this.#records.get(k)
    this.#records.delete(k)
    return record
  }

  /** Records due at `epoch`, oldest due first (stable for equal epochs). */
  due(epoch: number): SyncRecord[] {
    return [...this.#records.values()]
      .filter((r) => r.sendEpoch <= epoch)
      .sort((a, b) => a.sendEpoch - b.sendEpoch)
  }

  forPeer(peer: PeerId): SyncRecord[] {
    return [...this.#records.values()].filter((r) => r.peer === peer)
  }

  /** Copies of every record (for persistence and inspection). */
  all(): SyncRecord[] {
    return [...this.#records.values()].map((r) => ({ ...r }))
  }
}
