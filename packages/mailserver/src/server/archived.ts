/**
 * How a v1 envelope sits in a `MessageArchive`: its RLP as `data`, its hash, its send time
 * (`expiry − ttl`, the timestamp of status-go's DB key) in nanoseconds, and its topic as 8 hex digits.
 * Ordering by (timestamp, hash) is the order of status-go's DB keys, so archive cursors and
 * status-go cursors describe the same positions.
 */
import { bytesToHex } from '@parley/crypto'
import { type Envelope, envelopeFromRlp, envelopeHash } from '@parley/envelope'
import type { ArchivedMessage, MessageCursor } from '@parley/interfaces'
import { decode } from '@parley/rlp'
import { type Cursor, encodeCursor } from '../db-key.ts'

export const NS_PER_SECOND = 1_000_000_000n

/** The archive row of an envelope given as RLP bytes; throws `DecodeError` for bytes that are no envelope. */
export function archivedFromRlp(bytes: Uint8Array): { message: ArchivedMessage; envelope: Envelope } {
  const envelope = envelopeFromRlp(decode(bytes))
  const sent = (envelope.expiry - envelope.ttl) >>> 0
  return {
    envelope,
    message: {
      hash: envelopeHash(envelope),
      timestamp: BigInt(sent) * NS_PER_SECOND,
      topic: bytesToHex(envelope.topic),
      data: bytes.slice(),
    },
  }
}

/** unix seconds of an archive timestamp (v1 rows are whole seconds). */
export function secondsOf(timestamp: bigint): number {
  return Number(timestamp / NS_PER_SECOND)
}

/** The archive position a status-go cursor names (exclusive, like the cursor). */
export function archiveCursor(cursor: Cursor): MessageCursor {
  return { timestamp: BigInt(cursor.timestamp) * NS_PER_SECOND, hash: cursor.hash }
}

/** The 36-byte status-go cursor after an archived row. */
export function wireCursor(message: Pick<ArchivedMessage, 'timestamp' | 'hash'>): Uint8Array {
  return encodeCursor({ timestamp: secondsOf(message.timestamp), hash: message.hash })
}
