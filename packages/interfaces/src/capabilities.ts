import { capability } from './capability.ts'
import type { PeerDiscovery } from './discovery.ts'
import type { HistoryClient } from './history.ts'
import type { KeyStore, NodeIdentity } from './keystore.ts'
import type { Devp2pHost, Libp2pHost } from './overlay.ts'
import type { PrivacyProtocol, V1PrivacyProtocol } from './privacy.ts'
import type { SecureTransport } from './secure.ts'
import type { KeyValueStore, MessageArchive } from './store.ts'
import type { DataSync } from './sync.ts'

/** The node's secp256k1 identity. */
export const nodeIdentity = capability<NodeIdentity>('node-identity')
/** RLPx v5 host with a capability registry. */
export const devp2pHost = capability<Devp2pHost>('devp2p-host')
/** libp2p host. */
export const libp2pHost = capability<Libp2pHost>('libp2p-host')
/** A source of peers; several plugins may provide it. */
export const peerDiscovery = capability<PeerDiscovery>('peer-discovery')
/** Any transport-privacy protocol (Whisper v6, Waku v1, Waku v2). */
export const privacyProtocol = capability<PrivacyProtocol>('privacy-protocol')
/** Whisper v6 (`shh/6`). */
export const whisperProtocol = capability<V1PrivacyProtocol>('whisper')
/** Waku v1 (`waku/1`). */
export const waku1Protocol = capability<V1PrivacyProtocol>('waku1')
export const waku2Relay = capability<PrivacyProtocol>('waku2-relay')
export const keyValueStore = capability<KeyValueStore>('key-value-store')
export const messageArchive = capability<MessageArchive>('message-archive')
export const keyStore = capability<KeyStore>('key-store')
export const dataSync = capability<DataSync>('data-sync')
export const secureTransport = capability<SecureTransport>('secure-transport')
/** Fetches missed history from mailservers (Whisper/Waku v1). */
export const historyClient = capability<HistoryClient>('history-client')
