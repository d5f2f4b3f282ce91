/** What `MvdsDataSync.receive` reports, and the events the service emits beyond `DataSync`'s. */
import { bytesToHex } from '@parley/crypto'
import {
  type DataSyncEvents,
  DecodeError,
  type LimitExceededError,
  NotFoundError,
  type ParleyError,
} from '@parley/interfaces'
import type { Rejection, RejectReason } from './node-types.ts'

export interface ItemRejection extends Rejection {
  /** `NotFoundError` (unknown-request, not-in-group) or `DecodeError` (invalid-id) */
  error: ParleyError
}

export interface ReceiveResult {
  /** messages handed to the application by this payload (held ones released included) */
  delivered: number
  /** our messages this payload acknowledged */
  acknowledged: number
  duplicates: number
  /** messages held back for a missing parent (consistent ordering) */
  held: number
  rejected: ItemRejection[]
}

export type PayloadRejectReason = 'malformed' | 'too-large' | 'empty' | RejectReason

export interface MvdsEvents extends DataSyncEvents {
  /** a record was given up after `maxSendCount` sends: the peer may never get this message */
  'message:expired': { id: Uint8Array; peer: string }
  'payload:rejected': {
    peer: string
    reason: PayloadRejectReason
    error: DecodeError | LimitExceededError | ParleyError
  }
}

export function rejectionError(rejection: Rejection, peer: string): ParleyError {
  const id = bytesToHex(rejection.messageId)
  if (rejection.reason === 'invalid-id') {
    return new DecodeError(`message id of ${rejection.messageId.length} bytes from ${peer}, expected 32`)
  }
  if (rejection.reason === 'not-in-group') {
    return new NotFoundError(`${peer} requested ${id} but is not in its group`)
  }
  return new NotFoundError(`${peer} requested unknown message ${id}`)
}
