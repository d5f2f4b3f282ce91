/**
 * 12/WAKU2-FILTER v2 protocol ids, status codes and nwaku's limits (waku/waku_filter_v2:
 * common.nim, subscriptions.nim, protocol.nim, rpc_codec.nim; rate_limit/setting.nim).
 */
import { MAX_WAKU_MESSAGE_SIZE } from '@parley/protocol-waku2'

export const FILTER_SUBSCRIBE_CODEC = '/vac/waku/filter-subscribe/2.0.0-beta1'
export const FILTER_PUSH_CODEC = '/vac/waku/filter-push/2.0.0-beta1'

/** `FilterSubscribeRequest.filter_subscribe_type`; an absent field is 0, a ping. */
export const FilterSubscribeType = {
  SUBSCRIBER_PING: 0,
  SUBSCRIBE: 1,
  UNSUBSCRIBE: 2,
  UNSUBSCRIBE_ALL: 3,
} as const
export type FilterSubscribeType = (typeof FilterSubscribeType)[keyof typeof FilterSubscribeType]

/** The status codes nwaku answers with (`FilterSubscribeErrorKind`); success is any 2xx. */
export const FilterStatus = {
  SUCCESS: 200,
  BAD_RESPONSE: 300,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  PEER_DIAL_FAILURE: 504,
} as const

/** nwaku's names for the codes, which prefix its status descriptions (`NOT_FOUND: …`). */
export const FILTER_STATUS_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(FilterStatus).map(([name, code]) => [code, name]),
)

/** The request id nwaku answers with when it did not read the request (rate limit). */
export const UNKNOWN_REQUEST_ID = 'N/A'

/** Distinct subscribed peers (nwaku `MaxFilterPeers`). */
export const MAX_FILTER_PEERS = 100
/** (pubsub topic, content topic) pairs per peer (nwaku `MaxFilterCriteriaPerPeer`). */
export const MAX_FILTER_CRITERIA_PER_PEER = 1000
/** Content topics in one SUBSCRIBE or UNSUBSCRIBE (nwaku `MaxContentTopicsPerRequest`). */
export const MAX_CONTENT_TOPICS_PER_REQUEST = 100
/** A subscription not refreshed (subscribe, ping, unsubscribe) for this long lapses: 5 min. */
export const SUBSCRIPTION_TIMEOUT_MS = 5 * 60_000
/** How often lapsed subscriptions are dropped (nwaku `MaintainSubscriptionsInterval`). */
export const MAINTENANCE_INTERVAL_MS = 60_000
/** Largest subscribe request and push read: 10 × 150 KiB + 64 KiB (nwaku `DefaultMaxSubscribeSize`). */
export const MAX_FILTER_RPC_SIZE = 10 * MAX_WAKU_MESSAGE_SIZE + 64 * 1024
/** Requests per peer per minute (nwaku `FilterDefaultPerPeerRateLimit`: 30 per minute). */
export const FILTER_RATE_LIMIT = { requests: 30, periodMs: 60_000 } as const
/** A push not written within this time is abandoned (nwaku `MessagePushTimeout`: 20 s). */
export const PUSH_TIMEOUT_MS = 20_000
/** Reading a request and writing its response must finish within this time. */
export const REQUEST_TIMEOUT_MS = 10_000
/** Pushes waiting for one subscriber (sent one at a time, in order); more are dropped, so a slow reader costs bounded memory. */
export const MAX_QUEUED_PUSHES_PER_PEER = 32
/** How often a client pings its service peers to keep subscriptions alive (js-waku pings every 30 s). */
export const KEEP_ALIVE_MS = 60_000
