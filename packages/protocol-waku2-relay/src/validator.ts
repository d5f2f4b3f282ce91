/**
 * The relay's admission check for a received pubsub message, as a pure function so it can be tested
 * on arbitrary bytes. It never throws: every input is either a decoded WakuMessage or a reason.
 */
import { DecodeError } from '@parley/interfaces'
import { decodeWakuMessage, MAX_WAKU_MESSAGE_SIZE, type WakuMessage } from '@parley/protocol-waku2'
import { MAX_TIMESTAMP_DRIFT_MS } from './constants.ts'

/** Why a message was rejected; also the `reason` label of the rejection metric. */
export type RelayRejectReason = 'oversize' | 'undecodable' | 'timestamp-old' | 'timestamp-future'

export const RELAY_REJECT_REASONS: readonly RelayRejectReason[] = [
  'oversize',
  'undecodable',
  'timestamp-old',
  'timestamp-future',
]

export type RelayValidation =
  | { readonly valid: true; readonly message: WakuMessage }
  | { readonly valid: false; readonly reason: RelayRejectReason }

export interface RelayValidatorOptions {
  /** Largest serialized WakuMessage, bytes. Default 150 KiB (nwaku `DefaultMaxWakuMessageSize`). */
  maxMessageSize?: number
  /** Largest distance between a message's timestamp and `now`, ms. Default 20 s. */
  maxTimestampDrift?: number
  /** The local clock, Unix ms. Default `Date.now()`. */
  now?: number
}

const NS_PER_MS = 1_000_000n

/**
 * Accepts `data` when it is at most `maxMessageSize` bytes, decodes as a WakuMessage, and its
 * timestamp (when present and non-zero) is within `maxTimestampDrift` of `now`, bounds included.
 */
export function validateRelayMessage(data: Uint8Array, options: RelayValidatorOptions = {}): RelayValidation {
  const maxMessageSize = options.maxMessageSize ?? MAX_WAKU_MESSAGE_SIZE
  if (data.length > maxMessageSize) return { valid: false, reason: 'oversize' }
  let message: WakuMessage
  try {
    message = decodeWakuMessage(data, { maxSize: maxMessageSize })
  } catch (error) {
    if (error instanceof DecodeError) return { valid: false, reason: 'undecodable' }
    throw error
  }
  const timestamp = message.timestamp ?? 0n
  if (timestamp !== 0n) {
    const now = BigInt(Math.round(options.now ?? Date.now())) * NS_PER_MS
    const drift = BigInt(Math.round(options.maxTimestampDrift ?? MAX_TIMESTAMP_DRIFT_MS)) * NS_PER_MS
    if (timestamp < now - drift) return { valid: false, reason: 'timestamp-old' }
    if (timestamp > now + drift) return { valid: false, reason: 'timestamp-future' }
  }
  return { valid: true, message }
}
