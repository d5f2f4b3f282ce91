/** Whisper v6 (`shh/6`) as a node plugin on the devp2p host. */

// Building blocks shared with the Waku v1 plugin (same envelopes, same pool, peers and pipeline).
export { AcceptancePolicy } from './acceptance.ts'
export {
  bloomHex,
  type EnvelopeNodeInfo,
  type EnvelopePeerInfo,
  envelopeNodeInfo,
  envelopePeerInfo,
} from './admin-info.ts'
export {
  type EnvelopeProtocolComponents,
  type EnvelopeProtocolMetrics,
  envelopeProtocolComponents,
} from './components.ts'
export {
  DirectPackets,
  type DirectPacketsInit,
  normalizePeerId,
  P2P_MESSAGE_CODE,
  P2P_REQUEST_CODE,
  P2P_REQUEST_COMPLETE_CODE,
  type P2PMessageForm,
} from './direct.ts'
export {
  EnvelopePeers,
  type EnvelopePeersInit,
  MESSAGES_CODE,
  type PeerWire,
  STATUS_CODE,
} from './envelope-peers.ts'
export { type EnvelopeCapability, EnvelopeProtocol } from './envelope-protocol.ts'
export type { EnvelopeExpiredEvent, EnvelopeSentEvent } from './events.ts'
export { ExpiringSet } from './expiring-set.ts'
export {
  MAX_MESSAGE_SIZE_LIMIT,
  type WhisperInit,
  type WhisperSettings,
  whisperSettings,
} from './options.ts'
export { EnvelopePeer, WhisperPeer } from './peer-state.ts'
export { whisper } from './plugin.ts'
export { EnvelopePool, type PooledEnvelope, receivedMessage } from './pool.ts'
export {
  ipOf,
  NO_RATE_LIMITS,
  RateLimiter,
  type RateLimits,
  type RateLimitVerdict,
  STATUS_GO_RATE_LIMITS,
} from './rate-limiter.ts'
export { EnvelopeRelay, type EnvelopeRelayInit, hashOf, type Rejection, type Verdict } from './relay.ts'
export { Subscriptions } from './subscriptions.ts'
export { Whisper, type WhisperComponents } from './whisper.ts'
