/** The options, results and events of `MvdsDataSync`, and how it screens incoming payloads. */
import { bytesToHex } from '@parley/crypto'
import {
  type AbortOptions,
  type DataSyncEvents,
  DecodeError,
  type KeyValueStore,
  LimitExceededError,
  type Logger,
  type Metrics,
  NotFoundError,
  type ParleyError,
} from '@parley/interfaces'
import type { Clock } from './clock.ts'
import type { Ordering, Rejection, RejectReason, SyncMode } from './node-types.ts'
import type { ScheduleConfig } from './schedule.ts'
import { decodePayload, isEmptyPayload, type Payload } from './wire.ts'

/** Sends one encoded MVDS payload to a peer (in Status: encrypt for that peer, then publish). */
export type MvdsTransport = (peer: string, payload: Uint8Array, options?: AbortOptions) => Promise<void>

export interface MvdsInit {
  /** `batch` (status-go, default) or `interactive` */
  mode?: SyncMode
  /** `eventual` (default) or `consistent` */
  ordering?: Ordering
  /** status-go's schedule by default: 300 ms epochs, 30 s doubling backoff, 15 sends */
  schedule?: Partial<ScheduleConfig>
  transport?: MvdsTransport
  /** separates several services sharing one store (default `default`) */
  namespace?: string
  clock?: Clock
  /** received payloads longer than this are refused (default 1 MiB) */
  maxPayloadBytes?: number
  /** split outgoing payloads to at most this many bytes (status-go splits to the transport's limit) */
  maxOutgoingBytes?: number
}

export interface MvdsComponents {
  /** absent: state lives in memory only */
  store?: KeyValueStore
  logger: Logger
  metrics: Metrics
}

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

/** Decodes a received payload, or says why it is refused (nothing of it is applied then). */
export function decodeIncoming(
  bytes: Uint8Array,
  maxBytes: number,
):
  | { payload: Payload }
  | { reason: 'malformed' | 'too-large' | 'empty'; error: DecodeError | LimitExceededError } {
  if (!(bytes instanceof Uint8Array))
    return { reason: 'malformed', error: new DecodeError('MVDS payload must be bytes') }
  if (bytes.length > maxBytes) {
    return {
      reason: 'too-large',
      error: new LimitExceededError(`MVDS payload of ${bytes.length} bytes, limit ${maxBytes}`),
    }
  }
  try {
    const payload = decodePayload(bytes, { maxBytes })
    if (!isEmptyPayload(payload)) return { payload }
  } catch (error) {
    const decodeError =
      error instanceof DecodeError ? error : new DecodeError('malformed MVDS payload', { cause: error })
    return { reason: 'malformed', error: decodeError }
  }
  return { reason: 'empty', error: new DecodeError('MVDS payload carries nothing') }
}
