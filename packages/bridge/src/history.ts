/**
 * v1 history for v2 clients: copies the envelopes a mailserver on this node archived (rows of the
 * node's `MessageArchive` with a 4-byte topic) into the Waku v2 store, as the version-1
 * WakuMessages the bridge would have published. A v2 store query then returns mailserver history
 * from before the bridge ran, not only what it carried live.
 */
import { decodeEnvelope, FULL_BLOOM, hexToTopic, topicToBloom } from '@parley/envelope'
import type { AbortOptions, MessageArchive, MessageCursor, MessageQuery } from '@parley/interfaces'
import { AbortError } from '@parley/interfaces'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'

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

export interface HistorySources {
  archive: MessageArchive
  store: V2Archiver
  /** where the relay puts a content topic (its autosharded or default pubsub topic) */
  pubsubTopicFor: (contentTopic: string) => string
  maxPayloadSize: number
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
      const message = toWakuMessage(row.data, row.timestamp, sources.maxPayloadSize)
      if (message === undefined) {
        result.skipped++
        continue
      }
      if (await sources.store.archive(sources.pubsubTopicFor(message.contentTopic), message, options))
        result.imported++
    }
    cursor = page.cursor
  } while (cursor !== undefined)
  return result
}

function toWakuMessage(
  rlp: Uint8Array,
  timestamp: bigint,
  maxPayloadSize: number,
): ImportedWakuMessage | undefined {
  try {
    const { topic, data } = decodeEnvelope(rlp)
    if (data.length > maxPayloadSize || data.length === 0) return undefined
    return { payload: data, contentTopic: wakuV1TopicToContentTopic(topic), version: 1, timestamp }
  } catch {
    return undefined
  }
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
