export {
  PEER_POOL_DEFAULTS,
  type PeerPool,
  type PeerPoolInit,
  type PeerPoolMode,
  type PeerPoolStatus,
} from './api.ts'
export { type Clock, systemClock } from './clock.ts'
export { type CachedPeer, PeerCache } from './peer-cache.ts'
export { peerPool } from './plugin.ts'
export { DEFAULT_TOPICS, type TopicLimits, topicsOf, WAKU_TOPICS } from './topics.ts'
