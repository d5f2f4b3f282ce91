export {
  PEER_POOL_DEFAULTS,
  type PeerPool,
  type PeerPoolInit,
  type PeerPoolMode,
  type PeerPoolStatus,
} from './api.ts'
export { type CachedPeer, PeerCache } from './peer-cache.ts'
export { peerPool } from './peer-pool.ts'
export { DEFAULT_TOPIC, DEFAULT_TOPICS, type TopicLimits, topicsOf } from './topics.ts'
