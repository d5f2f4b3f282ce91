/**
 * `@parley/bridge`: Whisper v6 ↔ Waku v1 ↔ Waku v2 on one node, composed from the protocol plugins
 * already there, with a shared seen-cache, per-direction metrics and rate limits.
 */
export {
  Bridge,
  type BridgeComponents,
  type BridgedEvent,
  type BridgeEvents,
  type DroppedEvent,
} from './bridge.ts'
export {
  type Checked,
  type Crossing,
  checkV1Envelope,
  checkV2Message,
  DROP_REASONS,
  type DropReason,
  type IngressPolicy,
  withinDrift,
} from './checks.ts'
export type { Delivery } from './forward.ts'
export {
  fetchV1History,
  type HistoryFetchResult,
  type HistoryImportOptions,
  type HistoryImportResult,
  type HistorySources,
  type ImportedWakuMessage,
  importV1History,
  type V2Archiver,
  type V2Target,
} from './history.ts'
export { type BridgeMetrics, bridgeMetrics } from './metrics.ts'
export {
  type HistoryAnswer,
  type HistoryRequestOptions,
  WhisperOverLibp2p,
  type WhisperOverLibp2pComponents,
  type WhisperOverLibp2pInit,
} from './murmur/client.ts'
export { type DuplexStream, encodeLength, FrameWriter, readFrames } from './murmur/framed-stream.ts'
export { decodeFrame, encodeFrame, type Frame, FrameCode, MURMUR_PROTOCOL } from './murmur/frames.ts'
export {
  whisperLibp2pClient,
  whisperLibp2pServer,
  whisperOverLibp2p,
  whisperOverLibp2pServer,
} from './murmur/plugin.ts'
export {
  type EnvelopeListener,
  MurmurServer,
  type MurmurServerComponents,
  type MurmurServerInit,
  nodeIdOf,
} from './murmur/server.ts'
export {
  BRIDGE_SIDES,
  type BridgeInit,
  type BridgeRateLimit,
  type BridgeSettings,
  type BridgeSide,
  bridgeSettings,
  DEFAULT_MAX_PAYLOAD_SIZE,
} from './options.ts'
export { bridge, messageBridge } from './plugin.ts'
export { TokenBucket } from './rate-limit.ts'
export { SeenCache } from './seen-cache.ts'
export {
  type BridgeRelay,
  type BridgeRelayMessage,
  type BridgeSides,
  isBridgeRelay,
  isMurmurSide,
  type MurmurSide,
} from './sides.ts'
export { type BridgeStats, type DirectionStats, StatsBook } from './stats.ts'
