/** The options and outcomes of `MvdsNode`. */
import type { NodeSnapshot } from './journal.ts'
import type { ScheduleConfig } from './schedule.ts'
import type { PeerId } from './state.ts'
import type { MvdsMessage } from './wire.ts'

export type SyncMode = 'batch' | 'interactive'
/** `eventual`: deliver on arrival; `consistent`: hold a message until its parents were delivered. */
export type Ordering = 'eventual' | 'consistent'

export interface MvdsNodeOptions {
  mode?: SyncMode
  ordering?: Ordering
  schedule?: Partial<ScheduleConfig>
  /** epoch the node starts at (ignored when `snapshot` is given) */
  epoch?: number
  /** state saved from an earlier run */
  snapshot?: NodeSnapshot
  /** ids of recently received ephemeral messages kept to drop duplicates (default 1024) */
  ephemeralMemory?: number
}

export interface DeliveredMessage {
  from: PeerId
  messageId: Uint8Array
  message: MvdsMessage
}

export interface Acknowledgement {
  peer: PeerId
  messageId: Uint8Array
}

export type RejectReason = 'unknown-request' | 'not-in-group' | 'invalid-id'

export interface Rejection {
  reason: RejectReason
  messageId: Uint8Array
}

export interface PayloadOutcome {
  /** messages for the application, each at most once, in delivery order */
  delivered: DeliveredMessage[]
  /** our MESSAGE or OFFER records this peer acknowledged (`message:delivered` for that peer) */
  acknowledged: Acknowledgement[]
  /** copies of messages already known */
  duplicates: number
  /** new messages held back because a parent is missing (consistent ordering) */
  held: number
  rejected: Rejection[]
}
