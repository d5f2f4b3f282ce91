/**
 * What a node must remember across restarts, as a whole (`NodeSnapshot`, to restore) and as the
 * changes since the last save (`NodeChanges`, to persist). Pending ACKs and ephemeral messages are
 * deliberately absent: a lost ACK is repaired by the sender's next retransmission, and ephemeral
 * messages are never retransmitted.
 */
import { bytesToHex as hex } from '@parley/crypto'
import type { PeerId, RecordChange, SyncRecord } from './state.ts'
import type { MvdsMessage } from './wire.ts'

export interface GroupMember {
  groupId: Uint8Array
  peer: PeerId
}

export interface GroupHead {
  groupId: Uint8Array
  /** the last message this node appended to the group: the parent of its next one */
  messageId: Uint8Array
}

export interface HeldChange {
  messageId: Uint8Array
  /** the peer it came from while held; undefined once released to the application */
  from: PeerId | undefined
}

export interface NodeSnapshot {
  epoch: number
  records: SyncRecord[]
  /** every message appended or received (delivered, or held when listed in `held`) */
  messages: MvdsMessage[]
  held: { messageId: Uint8Array; from: PeerId }[]
  peers: GroupMember[]
  heads: GroupHead[]
}

export interface NodeChanges {
  epoch: number
  records: RecordChange[]
  /** messages stored since the last save; messages are never removed */
  messages: { messageId: Uint8Array; message: MvdsMessage }[]
  held: HeldChange[]
  peers: GroupMember[]
  heads: GroupHead[]
}

/** True when nothing but (perhaps) the epoch changed. */
export function hasNoStateChanges(changes: NodeChanges): boolean {
  return (
    changes.records.length === 0 &&
    changes.messages.length === 0 &&
    changes.held.length === 0 &&
    changes.peers.length === 0 &&
    changes.heads.length === 0
  )
}

/** `older` then `newer` as one set of changes (to retry a save that failed). */
export function mergeChanges(older: NodeChanges | undefined, newer: NodeChanges): NodeChanges {
  if (older === undefined) return newer
  const latest = <T>(items: T[], key: (item: T) => string): T[] => [
    ...new Map(items.map((item) => [key(item), item])).values(),
  ]
  return {
    epoch: newer.epoch,
    records: latest([...older.records, ...newer.records], (c) => `${hex(c.messageId)}/${c.peer}`),
    messages: latest([...older.messages, ...newer.messages], (m) => hex(m.messageId)),
    held: latest([...older.held, ...newer.held], (h) => hex(h.messageId)),
    peers: latest([...older.peers, ...newer.peers], (p) => `${hex(p.groupId)}/${p.peer}`),
    heads: latest([...older.heads, ...newer.heads], (h) => hex(h.groupId)),
  }
}
