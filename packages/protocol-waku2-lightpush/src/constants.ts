/**
 * 19/WAKU2-LIGHTPUSH protocol ids, nwaku's v3 status codes and descriptions (waku_lightpush/
 * common.nim, callbacks.nim; waku_lightpush_legacy/protocol_metrics.nim) and our limits.
 */
import { MAX_WAKU_MESSAGE_SIZE } from '@parley/protocol-waku2'

/** Legacy lightpush: the only version go-waku (hence status-go) and js-waku 0.0.27 speak. */
export const LIGHTPUSH_V2_CODEC = '/vac/waku/lightpush/2.0.0-beta1'
/** Lightpush v3 (waku-org/specs standards/core/lightpush.md), nwaku's default. */
export const LIGHTPUSH_V3_CODEC = '/vac/waku/lightpush/3.0.0'

/**
 * nwaku's `LightpushStatusCode`. The spec's table differs: it has 503 for "no peers to relay",
 * where nwaku answers 505 and keeps 503 for "service not available"; we answer as nwaku.
 */
export const LightpushStatus = {
  SUCCESS: 200,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_MESSAGE: 420,
  UNSUPPORTED_PUBSUB_TOPIC: 421,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_NOT_AVAILABLE: 503,
  OUT_OF_RLN_PROOF: 504,
  NO_PEERS_TO_RELAY: 505,
} as const

/** The request id nwaku answers with when it did not read or could not decode the request. */
export const UNKNOWN_REQUEST_ID = 'N/A'

/** nwaku's descriptions, which clients (js-waku's RLN error matching) read. */
export const TOO_MANY_REQUESTS_MESSAGE = 'Request rejected due to too many requests'
export const NO_PEERS_MESSAGE = 'No peers for topic, skipping publish'
export const DUPLICATE_MESSAGE = 'Dropping already-seen message'
/** What legacy lightpush reports for every publishing failure (nwaku `notPublishedAnyPeer`). */
export const NOT_PUBLISHED_ANY_PEER = 'not_published_to_any_peer'
export const DECODE_RPC_FAILURE = 'decode_rpc_failure'
export const EMPTY_REQUEST_BODY_FAILURE = 'empty_request_body_failure'

/** Largest request read: one WakuMessage of 150 KiB plus 64 KiB for the rest (nwaku reads without limit). */
export const MAX_LIGHTPUSH_RPC_SIZE = MAX_WAKU_MESSAGE_SIZE + 64 * 1024
/** Largest response read by the client. */
export const MAX_LIGHTPUSH_RESPONSE_SIZE = 64 * 1024
/** Reading a request, publishing it and answering must finish within this time. */
export const REQUEST_TIMEOUT_MS = 10_000
/** Requests served at once; more are answered 429 at once, so memory stays bounded (ours). */
export const MAX_CONCURRENT_REQUESTS = 64
/** How far a message timestamp may be from the local clock: the relay's rule (64/WAKU2-NETWORK). */
export const MAX_TIMESTAMP_DRIFT_MS = 20_000
