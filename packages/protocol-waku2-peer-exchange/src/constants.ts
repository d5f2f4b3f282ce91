/** 34/WAKU2-PEER-EXCHANGE constants, with nwaku's limits (waku_peer_exchange/common.nim, rpc.nim). */
import { MAX_WAKU_MESSAGE_SIZE } from '@parley/protocol-waku2'

export const PEER_EXCHANGE_CODEC = '/vac/waku/peer-exchange/2.0.0-alpha1'

/** nwaku's response status codes (`PeerExchangeResponseStatusCode`); any other value reads as UNKNOWN. */
export const PeerExchangeStatus = {
  UNKNOWN: 0,
  SUCCESS: 200,
  BAD_REQUEST: 400,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
} as const
export type PeerExchangeStatusCode = (typeof PeerExchangeStatus)[keyof typeof PeerExchangeStatus]

/** At most this many records per response, and the size of the served cache (nwaku, 10 × D in 34). */
export const MAX_PEERS_CACHE_SIZE = 60
/** what a client asks for by default (nwaku's `DefaultPXNumPeersReq`) */
export const DEFAULT_NUM_PEERS = 5
/** nwaku's `DefaultMaxRpcSize`: ten maximum WakuMessages plus 64 KiB, for requests and responses */
export const MAX_RPC_SIZE = 10 * MAX_WAKU_MESSAGE_SIZE + 64 * 1024
/** a request or response not done in this time is abandoned */
export const REQUEST_TIMEOUT_MS = 10_000
