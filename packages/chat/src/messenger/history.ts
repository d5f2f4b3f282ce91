/**
 * Missed traffic, from whichever history service the node has: a Whisper/Waku v1 mailserver (the
 * `historyClient` capability; its envelopes come back through our `allowP2P` subscriptions), or a
 * Waku v2 store node (`waku2Store` plus the peer to ask; its messages are handed to `deliver`).
 */
import type { AbortOptions, HistoryClient, WakuStoreService } from '@parley/interfaces'
import type { MessengerComponents } from './types.ts'
import { usesContentTopics } from './wire.ts'

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

/** the relay's default pubsub topic (nwaku `DefaultPubsubTopic`) */
const DEFAULT_STORE_PUBSUB_TOPIC = '/waku/2/rs/0/0'

/** Where missed traffic comes from on this node, if anywhere. */
export type HistorySource =
  | { kind: 'mailserver'; history: HistoryClient }
  | { kind: 'store'; source: StoreSource }

/**
 * The node's history service: the store client asked at `storePeer` on Waku v2, the mailserver
 * client on Whisper/Waku v1; undefined without one (or, on Waku v2, without a `storePeer`).
 */
export function historySource(
  components: Pick<MessengerComponents, 'privacy' | 'history' | 'wakuStore'>,
  storePeer: string | undefined,
  storePubsubTopic: string | undefined,
): HistorySource | undefined {
  if (usesContentTopics(components.privacy)) {
    if (components.wakuStore === undefined || storePeer === undefined) return undefined
    const pubsubTopic = storePubsubTopic ?? DEFAULT_STORE_PUBSUB_TOPIC
    return { kind: 'store', source: { store: components.wakuStore, peer: storePeer, pubsubTopic } }
  }
  return components.history === undefined ? undefined : { kind: 'mailserver', history: components.history }
}

/**
 * Asks `from` for what `topics` (wire topics) carried in `range`; a store's messages go to `deliver`,
 * a mailserver's come back through the subscriptions. Resolves with how many the service returned.
 */
export async function fetchMissed(
  from: HistorySource,
  topics: readonly string[],
  range: HistoryRange,
  deliver: (topic: string, payload: Uint8Array) => void,
  options?: AbortOptions,
): Promise<number> {
  return from.kind === 'store'
    ? fetchFromStore(from.source, topics, range, deliver, options)
    : fetchFromMailserver(from.history, topics, range, options)
}

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
