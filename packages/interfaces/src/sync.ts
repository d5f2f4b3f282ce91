import type { AbortOptions } from './abort.ts'
import type { TypedEventTarget } from './events.ts'
import type { Startable } from './startable.ts'

export interface SyncMessage {
  id: Uint8Array
  groupId: Uint8Array
  /** seconds, as MVDS stamps messages */
  timestamp: number
  body: Uint8Array
}

export interface DataSyncEvents {
  'message:received': SyncMessage & { from: string }
  'message:delivered': { id: Uint8Array; peer: string }
  /** A message ran out of retransmissions before `peer` acknowledged it. */
  'message:expired': { id: Uint8Array; peer: string }
}

/** How a data-sync layer hands an encoded payload to the layer below (the secure transport, say). */
export type DataSyncTransport = (peer: string, payload: Uint8Array, options?: AbortOptions) => Promise<void>

/** What one incoming payload did; items it could not apply are counted, never thrown. */
export interface DataSyncReceipt {
  /** messages handed to the application */
  delivered: number
  /** our messages the payload acknowledged */
  acknowledged: number
  duplicates: number
  /** messages held back until earlier ones arrive (consistent ordering) */
  held: number
}

/** Reliable group delivery (MVDS): messages are retransmitted until each peer acknowledges them. */
export interface DataSync extends Startable, TypedEventTarget<DataSyncEvents> {
  addPeer(groupId: Uint8Array, peer: string, options?: AbortOptions): Promise<void>
  /** Appends a message to a group; resolves with its id. */
  send(
    groupId: Uint8Array,
    body: Uint8Array,
    options?: AbortOptions & { ephemeral?: boolean },
  ): Promise<Uint8Array>
  /** Sets where outgoing payloads go; nothing is sent (and no epoch passes) before one is set. */
  setTransport(transport: DataSyncTransport): void
  /** Applies a payload that arrived from `peer`; a malformed one throws `DecodeError` and changes nothing. */
  receive(peer: string, payload: Uint8Array, options?: AbortOptions): Promise<DataSyncReceipt>
}
