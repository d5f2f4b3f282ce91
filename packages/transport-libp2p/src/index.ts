export { Libp2pHostService } from './host.ts'
export { type Libp2pPrivateKey, libp2pPrivateKey, peerIdFromSecp256k1 } from './keys.ts'
export type {
  Libp2pHostServices,
  Libp2pMuxer,
  Libp2pNode,
  Libp2pServiceFactory,
  Libp2pStream,
} from './node.ts'
export {
  DEFAULT_KEEP_ALIVE_INTERVAL,
  DEFAULT_KEEP_ALIVE_MAX_FAILURES,
  DEFAULT_LISTEN,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_SECURE_LISTEN,
  type Libp2pInit,
  libp2p,
} from './plugin.ts'
export type { SecureWebSocketInit } from './websocket.ts'
