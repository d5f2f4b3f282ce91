/**
 * The archive key of status-go's mailserver, `timestamp(4 BE) || envelope hash(32) || topic(4)`,
 * and the pagination cursor it hands to clients: the key's first 36 bytes. Keys sort by time first,
 * so a range scan between two timestamps is a range scan over keys.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { MailDecodeError } from './errors.ts'

export const DB_KEY_LENGTH = 40
export const CURSOR_LENGTH = 36
const HASH_LENGTH = 32
const TOPIC_LENGTH = 4
const MAX_UINT32 = 0xffff_ffff

export interface DbKey {
  /** unix seconds, uint32: the envelope's `expiry - ttl` */
  timestamp: number
  /** keccak256 of the envelope RLP */
  hash: Uint8Array
  topic: Uint8Array
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp > MAX_UINT32) {
    throw new InvalidParametersError(`timestamp must be a uint32, got ${timestamp}`)
  }
}

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length)
    throw new InvalidParametersError(`${what} must be ${length} bytes, got ${bytes.length}`)
}

export function encodeDbKey(key: DbKey): Uint8Array {
  checkTimestamp(key.timestamp)
  checkLength(key.hash, HASH_LENGTH, 'hash')
  checkLength(key.topic, TOPIC_LENGTH, 'topic')
  const out = new Uint8Array(DB_KEY_LENGTH)
  new DataView(out.buffer).setUint32(0, key.timestamp)
  out.set(key.hash, 4)
  out.set(key.topic, 4 + HASH_LENGTH)
  return out
}

export function decodeDbKey(bytes: Uint8Array): DbKey {
  if (bytes.length !== DB_KEY_LENGTH) {
    throw new MailDecodeError('bad-length', `a DB key is ${DB_KEY_LENGTH} bytes, got ${bytes.length}`)
  }
  return {
    timestamp: readUint32(bytes, 0),
    hash: bytes.slice(4, 4 + HASH_LENGTH),
    topic: bytes.slice(4 + HASH_LENGTH),
  }
}

export interface Cursor {
  timestamp: number
  hash: Uint8Array
}

export function encodeCursor(cursor: Cursor): Uint8Array {
  checkTimestamp(cursor.timestamp)
  checkLength(cursor.hash, HASH_LENGTH, 'hash')
  const out = new Uint8Array(CURSOR_LENGTH)
  new DataView(out.buffer).setUint32(0, cursor.timestamp)
  out.set(cursor.hash, 4)
  return out
}

/** The cursor a server returns after the envelope stored under `key`. */
export function cursorFromDbKey(key: Uint8Array): Uint8Array {
  if (key.length !== DB_KEY_LENGTH) {
    throw new InvalidParametersError(`a DB key is ${DB_KEY_LENGTH} bytes, got ${key.length}`)
  }
  return key.slice(0, CURSOR_LENGTH)
}

/**
 * A cursor as status-go reads it. Clients treat cursors as opaque; only a server parses them, and a
 * 40-byte value (a whole DB key) is accepted too, because the key prefix is what the scan needs.
 */
export function decodeCursor(bytes: Uint8Array): Cursor {
  if (bytes.length !== CURSOR_LENGTH && bytes.length !== DB_KEY_LENGTH) {
    throw new MailDecodeError('bad-length', `a cursor is ${CURSOR_LENGTH} bytes, got ${bytes.length}`)
  }
  return { timestamp: readUint32(bytes, 0), hash: bytes.slice(4, 4 + HASH_LENGTH) }
}

/** The smallest DB key at `timestamp`: scan bounds, as status-go builds them with a zero hash. */
export function dbKeyLowerBound(timestamp: number): Uint8Array {
  return encodeDbKey({ timestamp, hash: new Uint8Array(HASH_LENGTH), topic: new Uint8Array(TOPIC_LENGTH) })
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset)
}
