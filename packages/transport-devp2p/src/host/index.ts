export {
  type Devp2pCapabilityWithInfo,
  describeNode,
  describePeer,
  formatAddress,
  type NodeInfoContext,
  type PeerInfoContext,
} from './admin.ts'
export { type EnodeAddress, formatEnode, parseEnode } from './enode.ts'
export { type Devp2pHostComponents, type Devp2pHostOptions, Devp2pHostService } from './host.ts'
export type { HostMetrics } from './metrics.ts'
export { Devp2pHostPeer, type PeerDirection } from './peer.ts'
export { type Devp2pInit, devp2p } from './plugin.ts'
export { type RedialDelay, RedialTimers, redialDelayMs } from './redial.ts'
export { DialError, ListenError } from './sockets.ts'
export { type StaticPeerHooks, StaticPeers } from './static-peers.ts'
