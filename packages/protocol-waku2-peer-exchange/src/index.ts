export type { RateLimit } from '@parley/protocol-waku2'
export { EnrCache } from './cache.ts'
export { type RequestContext, requestPeers } from './client.ts'
export {
  DEFAULT_NUM_PEERS,
  MAX_PEERS_CACHE_SIZE,
  MAX_RPC_SIZE,
  PEER_EXCHANGE_CODEC,
  PeerExchangeStatus,
  type PeerExchangeStatusCode,
  REQUEST_TIMEOUT_MS,
} from './constants.ts'
export { PeerExchangeError } from './errors.ts'
export { type MetadataEvents, WakuMetadataService } from './metadata/metadata.ts'
export type { WakuMetadataInit } from './metadata/options.ts'
export {
  decodeWakuMetadata,
  type EncodeMetadataOptions,
  encodeWakuMetadata,
  MAX_METADATA_SIZE,
  METADATA_CODEC,
  readWakuMetadata,
  type WakuMetadata,
} from './metadata/rpc.ts'
export type { WakuPeerExchangeInit } from './options.ts'
export { clusterMismatch, enrCluster, peerFromEnr } from './peer.ts'
export { WakuPeerExchange } from './peer-exchange.ts'
export { wakuMetadata, wakuPeerExchange } from './plugin.ts'
export {
  decodePeerExchangeRequest,
  decodePeerExchangeResponse,
  decodePeerExchangeRpc,
  encodePeerExchangeRpc,
  type PeerExchangeResponseStatus,
  type PeerExchangeRpc,
} from './rpc.ts'
