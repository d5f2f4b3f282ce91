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
}
