/**
 * 13/WAKU2-STORE: a server that archives relayed WakuMessages in the node's `MessageArchive` and
 * answers store v3 (`/vac/waku/store-query/3.0.0`) and legacy v2beta4 queries as nwaku does, and a
 * client that follows cursors. See README.md.
 */

export type { RateLimit } from '@parley/protocol-waku2'
export { fromArchived, legacyDigest, type StoredWakuMessage, toArchived } from './archived.ts'
export {
  type HistoryPage,
  type HistoryQueryInit,
  historyQuery,
  type StoreQuery,
  type StoreQueryPage,
  storeQuery,
} from './client.ts'
export {
  DEFAULT_PAGE_SIZE,
  HASH_LENGTH,
  HistoryError,
  LEGACY_STORE_CODEC,
  MAX_CONTENT_TOPICS,
  MAX_PAGE_SIZE,
  MAX_RPC_SIZE,
  STORE_CODEC,
  StoreStatus,
} from './constants.ts'
export { StoreQueryError } from './errors.ts'
export { answerHistoryQuery } from './legacy-answer.ts'
export {
  decodeHistoryRpc,
  encodeHistoryRpc,
  type HistoryIndex,
  type HistoryQuery,
  type HistoryResponse,
  type HistoryRpc,
  PagingDirection,
  type PagingInfo,
} from './legacy-codec.ts'
export { type StoreMetrics, storeMetrics } from './metrics.ts'
export { type StoreSettings, storeSettings, type WakuStoreInit } from './options.ts'
export { waku2Store, wakuStore } from './plugin.ts'
export { BadStoreRequest } from './query-plan.ts'
export { applyRetention, type RetentionPolicy } from './retention.ts'
export { WakuStore, type WakuStoreComponents } from './store.ts'
export type { StoreClientHost } from './stream.ts'
export { answerStoreQuery } from './v3-answer.ts'
export {
  decodeStoreQueryRequest,
  decodeStoreQueryResponse,
  encodeStoreQueryRequest,
  encodeStoreQueryResponse,
  type StoreQueryRequest,
  type StoreQueryResponse,
  type WakuMessageKeyValue,
} from './v3-codec.ts'
