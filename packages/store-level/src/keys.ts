/**
 * The key layout. Archived Whisper/Waku v1 envelopes use status-go's mailserver layout, so an
 * operator can point this store at a status-go mailserver's LevelDB:
 *
 *   timestamp (uint32 BE, unix seconds) ‖ envelope hash (32) ‖ topic (4)  →  envelope RLP
 *
 * Everything else lives under the two bytes 0xffff, where a status-go timestamp would lie beyond
 * the year 2106, so status-go's range scans never reach it:
 *
 *   ffff 'e' ‖ timestamp (int64 BE, ns, sign bit flipped) ‖ hash (32)  →  topic, pubsub topic, data
 *   ffff 'h' ‖ hash (32)                                               →  the message's record key
 *   ffff 't' ‖ topic length (uint16 BE) ‖ topic ‖ timestamp (8) ‖ hash →  the message's record key
 *   ffff 'k' ‖ key                                                     →  key-value entries
 *   ffff 'm' ‖ name                                                    →  metadata (version, stats)
 *
 * A message takes the status-go layout when it fits it exactly: a whole-second timestamp within
 * uint32 (below 0xffff0000), an 8-hex-char topic and no pubsub topic. Others take the 'e' layout.
 * Both sort by (timestamp, hash), so a query merges the two ranges.
 *
 * This duplicates the 40-byte key codec of @parley/mailserver's db-key.ts (the stores depend on
 * nothing but @parley/interfaces); the status-go vector checks both.
 */
import { type ArchivedMessage, InvalidParametersError, type MessageCursor } from '@parley/interfaces'
import { INT64_MAX, INT64_MIN } from '@parley/store-utils'

export const DB_KEY_LENGTH = 40
export const HASH_LENGTH = 32
const NS_PER_SECOND = 1_000_000_000n
/** The last second whose keys stay below 0xffff… (status-go keys from 0xffff0000 on would collide). */
const MAX_SECOND = 0xfffe_ffffn
const V1_TOPIC = /^[0-9a-f]{8}$/

const OWN = 0xff
export const SPACE = { extended: 0x65, hash: 0x68, keyValue: 0x6b, meta: 0x6d, topic: 0x74 } as const

/** `ffff ‖ space ‖ rest`. */
export function ownKey(space: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 3)
  const key = new Uint8Array(length)
  key[0] = OWN
  key[1] = OWN
  key[2] = space
  let offset = 3
  for (const part of parts) {
    key.set(part, offset)
    offset += part.length
  }
  return key
}

/** The first key after every key of `space`. */
export function spaceEnd(space: number): Uint8Array {
  return ownKey(space + 1)
}

/** The first key of this package's own keys: every status-go key sorts before it. */
export const OWN_START = Uint8Array.of(OWN, OWN)

export function encodeDbKey(seconds: number, hash: Uint8Array, topic: Uint8Array): Uint8Array {
  const key = new Uint8Array(DB_KEY_LENGTH)
  new DataView(key.buffer).setUint32(0, seconds)
  key.set(hash, 4)
  key.set(topic, 4 + HASH_LENGTH)
  return key
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  )
}

function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** int64 as 8 bytes that sort like the numbers: big-endian with the sign bit flipped. */
export function timestampBytes(timestamp: bigint): Uint8Array {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, timestamp) ^ (1n << 63n))
  return bytes
}

function readTimestamp(bytes: Uint8Array, offset: number): bigint {
  const raw = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset)
  return BigInt.asIntN(64, raw ^ (1n << 63n))
}

function fitsStatusGo(message: ArchivedMessage): boolean {
  const { timestamp } = message
  return (
    (message.pubsubTopic === undefined || message.pubsubTopic === '') &&
    V1_TOPIC.test(message.topic) &&
    timestamp >= 0n &&
    timestamp % NS_PER_SECOND === 0n &&
    timestamp / NS_PER_SECOND <= MAX_SECOND
  )
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The record (key and value) a message is stored as. */
export function encodeRecord(message: ArchivedMessage): { key: Uint8Array; value: Uint8Array } {
  if (message.hash.length !== HASH_LENGTH) {
    throw new InvalidParametersError(`hash must be ${HASH_LENGTH} bytes, got ${message.hash.length}`)
  }
  if (fitsStatusGo(message)) {
    const seconds = Number(message.timestamp / NS_PER_SECOND)
    return { key: encodeDbKey(seconds, message.hash, hexBytes(message.topic)), value: message.data }
  }
  const topic = encoder.encode(message.topic)
  const pubsub = encoder.encode(message.pubsubTopic ?? '')
  if (topic.length > 0xffff || pubsub.length > 0xffff) {
    throw new InvalidParametersError('topic and pubsubTopic must each be at most 65535 bytes')
  }
  const value = new Uint8Array(4 + topic.length + pubsub.length + message.data.length)
  const view = new DataView(value.buffer)
  view.setUint16(0, topic.length)
  value.set(topic, 2)
  view.setUint16(2 + topic.length, pubsub.length)
  value.set(pubsub, 4 + topic.length)
  value.set(message.data, 4 + topic.length + pubsub.length)
  return { key: ownKey(SPACE.extended, timestampBytes(message.timestamp), message.hash), value }
}

/** The message a record holds, or undefined for a key that is not a record (foreign data). */
export function decodeRecord(key: Uint8Array, value: Uint8Array): ArchivedMessage | undefined {
  if (key.length === DB_KEY_LENGTH && !(key[0] === OWN && key[1] === OWN)) {
    const seconds = new DataView(key.buffer, key.byteOffset, 4).getUint32(0)
    return {
      hash: key.slice(4, 4 + HASH_LENGTH),
      timestamp: BigInt(seconds) * NS_PER_SECOND,
      topic: toHex(key.subarray(4 + HASH_LENGTH)),
      data: value,
    }
  }
  if (key.length !== 3 + 8 + HASH_LENGTH || key[2] !== SPACE.extended || value.length < 4) return undefined
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength)
  const topicLength = view.getUint16(0)
  const pubsubLength = view.getUint16(2 + topicLength)
  const message: ArchivedMessage = {
    hash: key.slice(11),
    timestamp: readTimestamp(key, 3),
    topic: decoder.decode(value.subarray(2, 2 + topicLength)),
    data: value.subarray(4 + topicLength + pubsubLength),
  }
  const pubsubTopic = decoder.decode(value.subarray(4 + topicLength, 4 + topicLength + pubsubLength))
  if (pubsubTopic !== '') message.pubsubTopic = pubsubTopic
  return message
}

export interface KeyRange {
  gte: Uint8Array
  lte: Uint8Array
}

export interface Bounds {
  /** lowest position to visit, inclusive */
  low: MessageCursor
  /** highest position to visit, inclusive */
  high: MessageCursor
}

const ZERO_HASH = new Uint8Array(HASH_LENGTH)
const FULL_HASH = new Uint8Array(HASH_LENGTH).fill(0xff)

/** Inclusive positions bounding a query (a cursor narrows one side; the exact cursor is filtered later). */
export function queryBounds(
  from: bigint | undefined,
  to: bigint | undefined,
  cursor: MessageCursor | undefined,
  backward: boolean,
): Bounds {
  let low: MessageCursor = { timestamp: from ?? INT64_MIN, hash: ZERO_HASH }
  let high: MessageCursor = { timestamp: to ?? INT64_MAX, hash: FULL_HASH }
  if (cursor !== undefined && !backward && cursor.timestamp >= low.timestamp) low = cursor
  if (cursor !== undefined && backward && cursor.timestamp <= high.timestamp) high = cursor
  return { low, high }
}

function floorDiv(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor
  return value % divisor < 0n ? quotient - 1n : quotient
}

/** The status-go key range holding every whole-second position within `bounds`, if any. */
export function statusGoRange({ low, high }: Bounds): KeyRange | undefined {
  let lowSecond = floorDiv(low.timestamp, NS_PER_SECOND)
  let lowHash = low.hash
  if (low.timestamp % NS_PER_SECOND !== 0n) {
    lowSecond += 1n
    lowHash = ZERO_HASH
  }
  if (lowSecond < 0n) [lowSecond, lowHash] = [0n, ZERO_HASH]
  let highSecond = floorDiv(high.timestamp, NS_PER_SECOND)
  let highHash = high.timestamp % NS_PER_SECOND === 0n ? high.hash : FULL_HASH
  if (highSecond > MAX_SECOND) [highSecond, highHash] = [MAX_SECOND, FULL_HASH]
  if (lowSecond > highSecond) return undefined
  return {
    gte: encodeDbKey(Number(lowSecond), lowHash, new Uint8Array(4)),
    lte: encodeDbKey(Number(highSecond), highHash, new Uint8Array(4).fill(0xff)),
  }
}

/** The extended-layout key range within `bounds`. */
export function extendedRange({ low, high }: Bounds): KeyRange {
  return {
    gte: ownKey(SPACE.extended, timestampBytes(low.timestamp), low.hash),
    lte: ownKey(SPACE.extended, timestampBytes(high.timestamp), high.hash),
  }
}

function topicPrefix(topic: string): Uint8Array {
  const bytes = encoder.encode(topic)
  const prefix = new Uint8Array(2 + bytes.length)
  new DataView(prefix.buffer).setUint16(0, bytes.length)
  prefix.set(bytes, 2)
  return prefix
}

/** The topic-index entry of a message: per topic, in (timestamp, hash) order. */
export function topicIndexKey(message: ArchivedMessage): Uint8Array {
  return ownKey(SPACE.topic, topicPrefix(message.topic), timestampBytes(message.timestamp), message.hash)
}

/** The topic-index key range of `topic` within `bounds`. */
export function topicRange(topic: string, { low, high }: Bounds): KeyRange {
  const prefix = topicPrefix(topic)
  return {
    gte: ownKey(SPACE.topic, prefix, timestampBytes(low.timestamp), low.hash),
    lte: ownKey(SPACE.topic, prefix, timestampBytes(high.timestamp), high.hash),
  }
}

/** A topic-index entry: its position and the key of the record it points to. */
export interface IndexEntry {
  timestamp: bigint
  hash: Uint8Array
  recordKey: Uint8Array
}

export function decodeTopicIndex(key: Uint8Array, value: Uint8Array): IndexEntry | undefined {
  if (key.length < 3 + 2 + 8 + HASH_LENGTH || key[2] !== SPACE.topic) return undefined
  const end = key.length - HASH_LENGTH
  return { timestamp: readTimestamp(key, end - 8), hash: key.subarray(end), recordKey: value }
}
