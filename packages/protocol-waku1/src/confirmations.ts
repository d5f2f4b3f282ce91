/**
 * Message confirmations as status-go sends them when its `EnableConfirmations` is on: for every
 * Messages packet, a Message Response (12) listing the envelopes it refused, then a Batch
 * Acknowledged (11); both name the batch by keccak256 of the packet payload as received.
 */
import { hexToBytes } from '@parley/crypto'
import {
  batchHash,
  type EnvelopeError,
  EnvelopeErrorCode,
  encodeBatchAck,
  encodeMessageResponse,
  WakuCode,
} from '@parley/envelope'
import type { Rejection } from '@parley/protocol-whisper'

/**
 * status-go's errors for the envelopes it refuses: clock trouble (from the future, very old) is
 * `EnvelopeTimeNotSynced` (21), size and pow `EnvelopeOtherError` (22). A bloom or topic-interest
 * miss is no error there (the envelope is dropped quietly), so it is not listed.
 */
const ERRORS: Record<string, { code: number; description: string }> = {
  future: { code: EnvelopeErrorCode.timeNotSynced, description: 'envelope from future' },
  'too-old': { code: EnvelopeErrorCode.timeNotSynced, description: 'very old envelope' },
  'too-big': { code: EnvelopeErrorCode.otherError, description: 'huge messages are not allowed' },
  'low-pow': { code: EnvelopeErrorCode.otherError, description: 'envelope with low PoW received' },
}

export function envelopeErrors(rejections: readonly Rejection[]): EnvelopeError[] {
  const errors: EnvelopeError[] = []
  for (const rejection of rejections) {
    const error = ERRORS[rejection.reason]
    if (error !== undefined) errors.push({ hash: hexToBytes(rejection.hash), ...error })
  }
  return errors
}

/** The two packets, in status-go's order (the response, then the deprecated ack). */
export function confirmationPackets(
  messagesPayload: Uint8Array,
  rejections: readonly Rejection[],
): Array<{ code: number; payload: Uint8Array }> {
  const hash = batchHash(messagesPayload)
  return [
    {
      code: WakuCode.messageResponse,
      payload: encodeMessageResponse({ hash, errors: envelopeErrors(rejections) }),
    },
    { code: WakuCode.batchAcknowledged, payload: encodeBatchAck(hash) },
  ]
}
