/**
 * How a WakuMessage lives in a `MessageArchive`: key = 14/WAKU2-MESSAGE hash, `topic` = content
 * topic, `pubsubTopic`, `data` = the serialized WakuMessage, `timestamp` = the message timestamp
 * (ns), or the time it arrived when it has none (nwaku's archive does the same).
 */
import { createHash } from 'node:crypto'
import type { ArchivedMessage } from '@parley/interfaces'
import { computeMessageHash, decodeWakuMessage, type WakuMessage } from '@parley/protocol-waku2'
import { MAX_RPC_SIZE } from './constants.ts'

const utf8Encoder = new TextEncoder()

/** An archived row read back as a WakuMessage. */
export interface StoredWakuMessage {
  hash: Uint8Array
  pubsubTopic: string
  message: WakuMessage
  /** the archive's ordering timestamp, ns */
  timestamp: bigint
}

export function toArchived(
  pubsubTopic: string,
  data: Uint8Array,
  message: WakuMessage,
  receivedAt: bigint,
): ArchivedMessage {
  const timestamp = message.timestamp !== undefined && message.timestamp > 0n ? message.timestamp : receivedAt
  return {
    hash: computeMessageHash(pubsubTopic, message),
    timestamp,
    topic: message.contentTopic,
    pubsubTopic,
    data,
  }
}

/** The row as a WakuMessage; undefined for a row that is not one (a Waku v1 envelope, corruption). */
export function fromArchived(row: ArchivedMessage): StoredWakuMessage | undefined {
  if (row.pubsubTopic === undefined || row.pubsubTopic === '') return undefined
  try {
    const message = decodeWakuMessage(row.data, { maxSize: MAX_RPC_SIZE })
    return { hash: row.hash, pubsubTopic: row.pubsubTopic, message, timestamp: row.timestamp }
  } catch {
    return undefined
  }
}

/** The v2beta4 Index digest: SHA-256(content_topic || payload) (nwaku legacy `computeDigest`). */
export function legacyDigest(message: WakuMessage): Uint8Array {
  return new Uint8Array(
    createHash('sha256').update(utf8Encoder.encode(message.contentTopic)).update(message.payload).digest(),
  )
}
