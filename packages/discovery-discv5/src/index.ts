export { type Discv5Components, Discv5Discovery } from './discovery.ts'
export { type LocalEnrInit, localEnr } from './local-enr.ts'
export { type Discv5Metrics, discv5Metrics } from './metrics.ts'
export {
  DEFAULT_LOOKUP_INTERVAL_MS,
  DEFAULT_PORT,
  DEFAULT_STOP_AFTER_SATISFIED_MS,
  DEFAULT_TARGET_PEERS,
  DISCV5_PROTOCOL_ID,
  type Discv5Init,
  WAKU_PROTOCOL_ID,
} from './options.ts'
export {
  type Discv5Peer,
  discoveryEvent,
  discv5Peer,
  hasCapability,
  V1_CAPABILITY_KEYS,
  type V1Capability,
} from './peer.ts'
export { discv5 } from './plugin.ts'
export { uncompressedKeyHex } from './point.ts'
export { CountingUdpTransport, discoveryBytesCounter } from './traffic.ts'
