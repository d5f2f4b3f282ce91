/**
 * What Waku v2 plugins offer each other (REST API, bridges, …), as plain structural types: the
 * protocol packages implement them, and a consumer needs nothing but this package.
 */
import type { AbortOptions } from './abort.ts'
import type { TypedEventTarget } from './events.ts'
import type { PrivacyProtocol, PrivacyProtocolEvents, ReceivedMessage } from './privacy.ts'

/** A 14/WAKU2-MESSAGE (`@parley/protocol-waku2`'s `WakuMessage` has this shape). */
export interface WakuMessageFields {
  readonly payload: Uint8Array
  readonly contentTopic: string
  /** absent means 0 */
  readonly version?: number
  /** Unix nanoseconds */
  readonly timestamp?: bigint
  readonly meta?: Uint8Array
  /** the serialized 17/WAKU2-RLN-RELAY proof */
  readonly rateLimitProof?: Uint8Array
  readonly ephemeral?: boolean
}

/** A message the relay accepted (or published), exactly as it travels. */
export interface WakuRelayedMessage {
  pubsubTopic: string
  /** the serialized WakuMessage, the exact wire bytes */
  bytes: Uint8Array
  /** the 14/WAKU2-MESSAGE hash, `0x…` */
  hash: string
  /** the peer that relayed it; absent for our own */
  from?: string
}

/** What `publishMessage` did. */
export interface WakuPublishResult {
  /** the 14/WAKU2-MESSAGE hash, `0x…` */
  hash: string
  /** the peers it was sent to (never ourselves) */
  recipients: string[]
  /** true when the relay had already seen it, so it went nowhere; no recipients otherwise means no peers */
  duplicate: boolean
}

export interface WakuRelayEvents extends PrivacyProtocolEvents {
  /** Every message the relay validated, our own publications included. */
  'message:relayed': WakuRelayedMessage
}

/** 11/WAKU2-RELAY as other plugins use it (`waku2Relay`). */
export interface WakuRelayService
  extends Omit<PrivacyProtocol, keyof TypedEventTarget<PrivacyProtocolEvents>>,
    TypedEventTarget<WakuRelayEvents> {
  /** The pubsub topics relayed now. */
  pubsubTopics(): string[]
  /** The pubsub topic a message on `contentTopic` goes to (autosharding, else the default topic). */
  pubsubTopicFor(contentTopic: string): string
  /**
   * Validates a serialized WakuMessage as received ones are and publishes those exact bytes on
   * `pubsubTopic`. Throws `InvalidParametersError` (the relay's subclass names the reason) for a
   * malformed topic or a message the relay would reject (too large, undecodable, stale).
   */
  publishMessage(pubsubTopic: string, bytes: Uint8Array, options?: AbortOptions): Promise<WakuPublishResult>
}

/** One entry of a store answer. */
export interface WakuStoredEntry {
  messageHash: Uint8Array
  /** present when the query included data */
  message?: WakuMessageFields
  pubsubTopic?: string
}

/** A store v3 query (13/WAKU2-STORE). */
export interface WakuStoreQuery {
  /** with `contentTopics`: the content filter */
  pubsubTopic?: string
  contentTopics?: readonly string[]
  /** Unix ns, inclusive */
  timeStart?: bigint
  timeEnd?: bigint
  messageHashes?: readonly Uint8Array[]
  /** continue after (forward) or before (backward) this message hash */
  cursor?: Uint8Array
  /** oldest first; default false */
  forward?: boolean
  pageSize?: number
  /** default true */
  includeData?: boolean
}

export interface WakuStorePage {
  messages: WakuStoredEntry[]
  /** the next page's cursor, absent on the last */
  cursor?: Uint8Array
}

/** A legacy (v2beta4) history query. */
export interface WakuHistoryQuery {
  pubsubTopic?: string
  contentTopics?: readonly string[]
  startTime?: bigint
  endTime?: bigint
  forward?: boolean
  pageSize?: number
}

export interface WakuHistoryPage {
  messages: WakuMessageFields[]
}

/** The store (`waku2Store`): remote queries, and this node's own archive when it serves. */
export interface WakuStoreService {
  /** Pages of `peer`'s answer (a multiaddr ending in `/p2p/<id>`, or a known peer id). */
  query(peer: string, query: WakuStoreQuery, options?: AbortOptions): AsyncIterable<WakuStorePage>
  /** Pages of `peer`'s legacy v2beta4 answer. */
  history(peer: string, query: WakuHistoryQuery, options?: AbortOptions): AsyncIterable<WakuHistoryPage>
  /**
   * One page from this node's own archive, as a remote peer would get it. Throws
   * `InvalidParametersError` for a query the store refuses, `NotStartedError` when it does not serve.
   */
  queryLocal(query: WakuStoreQuery, options?: AbortOptions): Promise<WakuStorePage>
}

/** The filter service (`waku2Filter`): who subscribes here. */
export interface WakuFilterService {
  /** ids of the peers holding a subscription */
  subscriberPeers(): string[]
}

/** A message a filter service pushed. */
export interface WakuFilterMessage extends ReceivedMessage {
  pubsubTopic: string
  /** the service peer */
  from: string
  /** the pushed WakuMessage as it arrived (timestamp in ns) */
  message: WakuMessageFields
}

export interface WakuFilterClientSubscription {
  readonly peer: string
  readonly pubsubTopic: string
  readonly contentTopics: readonly string[]
  ping(options?: AbortOptions): Promise<void>
  unsubscribe(options?: AbortOptions): Promise<void>
  unsubscribeAll(options?: AbortOptions): Promise<void>
}

/**
 * The filter light client (`waku2FilterClient`). Requests a service refuses throw an error with a
 * numeric `statusCode` (the filter status: 400, 404, 429, 503, …).
 */
export interface WakuFilterClientService {
  filterSubscribe(
    peer: string,
    pubsubTopic: string,
    contentTopics: readonly string[],
    handler: (message: WakuFilterMessage) => void,
    options?: AbortOptions,
  ): Promise<WakuFilterClientSubscription>
  ping(peer: string, options?: AbortOptions): Promise<void>
  unsubscribeAll(peer: string, options?: AbortOptions): Promise<void>
}

/** The outcome of a push, as 19/WAKU2-LIGHTPUSH v3 answers it. */
export interface WakuLightpushOutcome {
  /** 200 on success, else nwaku's lightpush status (400, 413, 420, 421, 429, 500, 503, 505) */
  statusCode: number
  statusDesc?: string
  relayPeerCount?: number
  pubsubTopic?: string
}

/** The lightpush service (`waku2Lightpush`): also publishes for this node itself. */
export interface WakuLightpushService {
  /** Validates and relays `bytes` (a serialized WakuMessage) as a pushed message; never throws. */
  push(
    pubsubTopic: string | undefined,
    bytes: Uint8Array,
    options?: AbortOptions,
  ): Promise<WakuLightpushOutcome>
}

export interface WakuLightpushMessage extends WakuMessageFields {
  pubsubTopic?: string
}

/**
 * The lightpush client (`waku2LightpushClient`). A refusal throws an error with the service's
 * numeric `statusCode` (absent from legacy services).
 */
export interface WakuLightpushClientService {
  lightpush(
    peer: string,
    message: WakuLightpushMessage,
    options?: AbortOptions,
  ): Promise<{ relayPeerCount?: number; hash?: string }>
}
