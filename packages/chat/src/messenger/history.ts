/**
 * Missed traffic, from whichever history service the node has: a Whisper/Waku v1 mailserver (the
 * `historyClient` capability; its envelopes come back through our `allowP2P` subscriptions), or a
 * Waku v2 store node (`waku2Store` plus the peer to ask; its messages are handed to `deliver`).
 */
import type { AbortOptions, HistoryClient, WakuStoreService } from '@parley/interfaces'

export interface HistoryRange {
  /** unix seconds, inclusive */
  from: number
  to: number
}

export interface StoreSource {
  store: WakuStoreService
  /** multiaddr (with `/p2p/<id>`) or peer id of the store node */
  peer: string
  pubsubTopic: string
}

/** nwaku refuses more than 10 content topics in one query */
const MAX_CONTENT_TOPICS = 10

export async function fetchFromMailserver(
  history: HistoryClient,
  topics: readonly string[],
  range: HistoryRange,
  options?: AbortOptions,
): Promise<number> {
  if (topics.length === 0) return 0
  const result = await history.requestHistory(
    { topics: [...topics], from: range.from, to: range.to },
    options,
  )
  return result.envelopes
}

export async function fetchFromStore(
  source: StoreSource,
  contentTopics: readonly string[],
  range: HistoryRange,
  deliver: (contentTopic: string, payload: Uint8Array) => void,
  options?: AbortOptions,
): Promise<number> {
  let count = 0
  for (let start = 0; start < contentTopics.length; start += MAX_CONTENT_TOPICS) {
    const query = {
      pubsubTopic: source.pubsubTopic,
      contentTopics: contentTopics.slice(start, start + MAX_CONTENT_TOPICS),
      timeStart: BigInt(range.from) * 1_000_000_000n,
      timeEnd: BigInt(range.to) * 1_000_000_000n + 999_999_999n,
      includeData: true,
      forward: true,
    }
    for await (const page of source.store.query(source.peer, query, options)) {
      for (const entry of page.messages) {
        if (entry.message === undefined) continue
        count++
        deliver(entry.message.contentTopic, entry.message.payload)
      }
    }
  }
  return count
}
