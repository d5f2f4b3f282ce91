/** 13/WAKU2-STORE constants, as nwaku runs them (waku/waku_store/common.nim, waku_store_legacy). */
import { MAX_WAKU_MESSAGE_SIZE } from '@parley/protocol-waku2'

/** Store v3, the current protocol (nwaku `WakuStoreCodec`, js-waku 0.0.27's `StoreCodec`). */
export const STORE_CODEC = '/vac/waku/store-query/3.0.0'
/** The legacy HistoryRPC protocol (nwaku `WakuLegacyStoreCodec`, go-waku/status-go's store). */
export const LEGACY_STORE_CODEC = '/vac/waku/store/2.0.0-beta4'

/** Page size when a request names none (or 0): nwaku `DefaultPageSize`. */
export const DEFAULT_PAGE_SIZE = 20
/** Larger requested page sizes are capped to this, not refused: nwaku `MaxPageSize`. */
export const MAX_PAGE_SIZE = 100
/** Largest request or response frame: ten maximal messages plus 64 KiB (nwaku `DefaultMaxRpcSize`). */
export const MAX_RPC_SIZE = 10 * MAX_WAKU_MESSAGE_SIZE + 64 * 1024
/** More content topics than this in one query is a bad request. */
export const MAX_CONTENT_TOPICS = 10
/** Message hashes (and v3 cursors) are SHA-256 digests. */
export const HASH_LENGTH = 32

/** v3 `status_code` values (nwaku `ErrorCode`). */
export const StoreStatus = {
  ok: 200,
  badResponse: 300,
  badRequest: 400,
  tooManyRequests: 429,
  serviceUnavailable: 503,
  peerDialFailure: 504,
} as const

/** v2beta4 `HistoryResponse.error` values; nwaku sends INVALID_CURSOR for every bad request. */
export const HistoryError = {
  none: 0,
  invalidCursor: 1,
  tooManyRequests: 429,
  serviceUnavailable: 503,
} as const
