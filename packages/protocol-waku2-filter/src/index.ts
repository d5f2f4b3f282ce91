/**
 * 12/WAKU2-FILTER v2: the service (`wakuFilter`, pushes relayed messages to subscribers, with
 * nwaku's limits, rate limit and subscription timeout) and the light client (`wakuFilterClient`:
 * subscribe, ping, unsubscribe, unsubscribe-all, and serving filter-push).
 */

export type { RateLimit } from '@parley/protocol-waku2'
export {
  type FilterMessageHandler,
  type FilterReceivedMessage,
  type FilterSubscription,
  WakuFilterClient,
} from './client.ts'
export {
  FILTER_PUSH_CODEC,
  FILTER_RATE_LIMIT,
  FILTER_STATUS_NAMES,
  FILTER_SUBSCRIBE_CODEC,
  FilterStatus,
  FilterSubscribeType,
  MAX_CONTENT_TOPICS_PER_REQUEST,
  MAX_FILTER_CRITERIA_PER_PEER,
  MAX_FILTER_PEERS,
  MAX_FILTER_RPC_SIZE,
  SUBSCRIPTION_TIMEOUT_MS,
} from './constants.ts'
export { FilterRequestError } from './errors.ts'
export type { FilterClientMetrics, FilterServerMetrics } from './metrics.ts'
export type { WakuFilterClientInit, WakuFilterInit } from './options.ts'
export { waku2Filter, waku2FilterClient, wakuFilter, wakuFilterClient } from './plugin.ts'
export { handleFilterRequest } from './requests.ts'
export {
  decodeFilterSubscribeRequest,
  decodeFilterSubscribeResponse,
  decodeMessagePush,
  encodeFilterSubscribeRequest,
  encodeFilterSubscribeResponse,
  encodeMessagePush,
  type FilterSubscribeRequest,
  type FilterSubscribeResponse,
  type MessagePush,
} from './rpc.ts'
export { type FilterRelay, WakuFilterServer } from './server.ts'
export { FilterSubscriptions } from './subscriptions.ts'
