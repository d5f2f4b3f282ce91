/**
 * MVDS identifiers (status-im/mvds `protobuf/messageid.go`, status-go `protocol/datasync/utils.go`).
 * The spec writes HASH("MESSAGE_ID", group_id, timestamp, body) without fixing the timestamp
 * encoding; every implementation uses 8 bytes little-endian of the int64.
 */
import { concatBytes, keccak256, sha256, utf8ToBytes } from '@parley/crypto'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import type { MvdsMessage } from './wire.ts'

const MESSAGE_ID_PREFIX = utf8ToBytes('MESSAGE_ID')

/** The bytes hashed into a message id. */
export function messageIdPreimage(message: MvdsMessage): Uint8Array {
  const timestamp = new Uint8Array(8)
  // BigInt.asIntN wraps like Go's int64; out-of-range values never reach the wire (encode refuses).
  new DataView(timestamp.buffer).setBigInt64(0, BigInt.asIntN(64, message.timestamp), true)
  return concatBytes(MESSAGE_ID_PREFIX, message.groupId, timestamp, message.body)
}

/** SHA-256("MESSAGE_ID" || group_id || int64_le(timestamp) || body), 32 bytes. */
export function messageId(message: MvdsMessage): Uint8Array {
  return sha256(messageIdPreimage(message))
}

/**
 * The group id of a 1:1 chat: keccak256 of both compressed public keys, the key with the smaller
 * X coordinate first, so both sides compute the same id. Keys may be compressed or uncompressed.
 */
export function toOneToOneGroupId(secp: Secp256k1Provider, a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!secp.isValidPublicKey(a) || !secp.isValidPublicKey(b)) {
    throw new InvalidParametersError('1:1 group id needs two valid secp256k1 public keys')
  }
  const ca = secp.convertPublicKey(a, true)
  const cb = secp.convertPublicKey(b, true)
  // X is bytes 1..33 of the compressed form; on equal X (same key or its negation) `b` goes first, as in Go.
  const first = compareBytes(ca.subarray(1), cb.subarray(1)) < 0 ? [ca, cb] : [cb, ca]
  return keccak256(concatBytes(...first))
}

function compareBytes(x: Uint8Array, y: Uint8Array): number {
  const length = Math.min(x.length, y.length)
  for (let i = 0; i < length; i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0)
    if (diff !== 0) return diff
  }
  return x.length - y.length
}
