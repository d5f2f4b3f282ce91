/**
 * v1 history for v2 clients: envelopes from a mailserver go into the Waku v2 store as the version-1
 * WakuMessages the bridge would have published, so a v2 store query returns mailserver history
 * from before the bridge ran, not only what it carried live. Two sources: the node's own
 * `MessageArchive` (rows a mailserver on this node wrote, those with a 4-byte topic), and a remote
 * devp2p mailserver asked through the node's `HistoryClient`.
 */
import { equalBytes } from '@parley/crypto'
import { decodeEnvelope, FULL_BLOOM, hexToTopic, topicToBloom } from '@parley/envelope'
import type {
  AbortOptions,
  HistoryClient,
  HistoryQuery,
  HistoryResult,
  MessageArchive,
  MessageCursor,
  MessageQuery,
} from '@parley/interfaces'
import { AbortError } from '@parley/interfaces'
import { decodeWakuMessage, wakuV1TopicToContentTopic } from '@parley/protocol-waku2'

const NS_PER_SECOND = 1_000_000_000n

/** The WakuMessage fields a v2 store's `archive` takes (`@parley/protocol-waku2`'s `WakuMessage`). */
export interface ImportedWakuMessage {
  payload: Uint8Array
  contentTopic: string
  version: number
  /** unix ns */
  timestamp: bigint
}

/** A Waku v2 store that archives messages directly (protocol-waku2-store's `WakuStore.archive`). */
export interface V2Archiver {
  archive(pubsubTopic: string, message: ImportedWakuMessage, options?: AbortOptions): Promise<boolean>
}

export interface HistoryImportOptions extends AbortOptions {
  /** unix ns, inclusive; default everything */
  from?: bigint
  to?: bigint
  /** 4-byte topics (`0x` + 8 hex digits); default every v1 topic */
  topics?: readonly string[]
  /** rows read per archive page; default 100 */
  pageSize?: number
}

export interface HistoryImportResult {
  /** v1 envelopes read from the archive */
  read: number
  /** newly stored as WakuMessages (already stored ones are not counted) */
  imported: number
  /** rows that did not decode as envelopes, or with a payload over `maxPayloadSize` */
  skipped: number
}

export interface V2Target {
  store: V2Archiver
  /**
   * The archive the store writes to, when known: a message the bridge carried v2 → v1 comes back
   * from a mailserver as a re-sealed envelope with another timestamp, and is recognised here by its
   * payload near that time instead of being stored twice.
   */
  archive?: MessageArchive
  /** where the relay puts a content topic (its autosharded or default pubsub topic) */
  pubsubTopicFor: (contentTopic: string) => string
  maxPayloadSize: number
}

export interface HistorySources extends V2Target {
  archive: MessageArchive
}

/** How far apart a v2 message's timestamp and its re-sealed envelope's send time may be, ns. */
const SAME_MESSAGE_WINDOW = 120n * NS_PER_SECOND

/** A remote mailserver's answer, and what of it went into the v2 store. */
export interface HistoryFetchResult extends HistoryResult {
  imported: number
  skipped: number
}

/**
 * Asks a mailserver through `client` (`query` as `HistoryClient.requestHistory` takes it) and puts
 * every envelope it sends into the v2 store, timestamped expiry − TTL.
 */
export async function fetchV1History(
  client: HistoryClient,
  target: V2Target,
  query: Omit<HistoryQuery, 'onEnvelope'>,
  options: AbortOptions = {},
): Promise<HistoryFetchResult> {
  const received: Uint8Array[] = []
  const result = await client.requestHistory(
    { ...query, onEnvelope: (envelope) => received.push(envelope) },
    options,
  )
  let imported = 0
  let skipped = 0
  for (const rlp of received) {
    const outcome = await archiveEnvelope(target, rlp, undefined, options)
    if (outcome === 'skipped') skipped++
    else if (outcome === 'imported') imported++
  }
  return { ...result, imported, skipped }
}

export async function importV1History(
  sources: HistorySources,
  options: HistoryImportOptions = {},
): Promise<HistoryImportResult> {
  const result: HistoryImportResult = { read: 0, imported: 0, skipped: 0 }
  const query: MessageQuery = {
    // A v1 bloom matches only rows whose topic is 4 bytes: v2 rows in the same archive never do.
    bloom: options.topics === undefined ? FULL_BLOOM : bloomOf(options.topics),
    ...(options.topics === undefined ? {} : { topics: options.topics.map((topic) => hexDigits(topic)) }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
    limit: options.pageSize ?? 100,
    direction: 'forward',
  }
  let cursor: MessageCursor | undefined
  do {
    if (options.signal?.aborted === true) throw new AbortError('history import aborted')
    const page = await sources.archive.query(
      { ...query, ...(cursor === undefined ? {} : { cursor }) },
      options,
    )
    for (const row of page.messages) {
      result.read++
      const outcome = await archiveEnvelope(sources, row.data, row.timestamp, options)
      if (outcome === 'skipped') result.skipped++
      else if (outcome === 'imported') result.imported++
    }
    cursor = page.cursor
  } while (cursor !== undefined)
  return result
}

/** Stores one envelope (RLP) as a WakuMessage; `timestamp` (ns) defaults to its expiry − TTL. */
async function archiveEnvelope(
  target: V2Target,
  rlp: Uint8Array,
  timestamp: bigint | undefined,
  options: AbortOptions,
): Promise<'imported' | 'stored-already' | 'skipped'> {
  let message: ImportedWakuMessage
  try {
    const { topic, data, expiry, ttl } = decodeEnvelope(rlp)
    if (data.length > target.maxPayloadSize || data.length === 0) return 'skipped'
    const sentAt = timestamp ?? BigInt(expiry - ttl) * NS_PER_SECOND
    message = { payload: data, contentTopic: wakuV1TopicToContentTopic(topic), version: 1, timestamp: sentAt }
  } catch {
    return 'skipped'
  }
  const pubsubTopic = target.pubsubTopicFor(message.contentTopic)
  if (target.archive !== undefined && (await storedNear(target.archive, pubsubTopic, message, options)))
    return 'stored-already'
  const added = await target.store.archive(pubsubTopic, message, options)
  return added ? 'imported' : 'stored-already'
}

/** Whether the v2 store already holds this payload on this content topic within the window. */
async function storedNear(
  archive: MessageArchive,
  pubsubTopic: string,
  message: ImportedWakuMessage,
  options: AbortOptions,
): Promise<boolean> {
  const query: MessageQuery = {
    pubsubTopic,
    topics: [message.contentTopic],
    from: message.timestamp - SAME_MESSAGE_WINDOW,
    to: message.timestamp + SAME_MESSAGE_WINDOW,
    limit: 100,
  }
  let cursor: MessageCursor | undefined
  do {
    const page = await archive.query({ ...query, ...(cursor === undefined ? {} : { cursor }) }, options)
    for (const row of page.messages) {
      try {
        if (equalBytes(decodeWakuMessage(row.data, { maxSize: row.data.length }).payload, message.payload))
          return true
      } catch {
        // a row that is not a WakuMessage is not this one
      }
    }
    cursor = page.cursor
  } while (cursor !== undefined)
  return false
}

function bloomOf(topics: readonly string[]): Uint8Array {
  const bloom = new Uint8Array(FULL_BLOOM.length)
  for (const topic of topics) {
    const bits = topicToBloom(hexToTopic(topic))
    for (let i = 0; i < bloom.length; i++) bloom[i]! |= bits[i]!
  }
  return bloom
}

/** The archive's topic form for a v1 row (`bytesToHex` of the 4 bytes: see the mailserver's rows). */
function hexDigits(topic: string): string {
  return topic.toLowerCase().startsWith('0x') ? topic.slice(2).toLowerCase() : topic.toLowerCase()
}
