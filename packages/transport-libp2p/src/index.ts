export {
  Libp2pHostService,
  type Libp2pHostServices,
  type Libp2pMuxer,
  type Libp2pNode,
  type Libp2pServiceFactory,
  type Libp2pStream,
} from './host.ts'
export { type Libp2pPrivateKey, libp2pPrivateKey, peerIdFromSecp256k1 } from './keys.ts'
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
