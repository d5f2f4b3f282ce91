import { capability } from './capability.ts'
import type { PeerDiscovery } from './discovery.ts'
import type { HistoryClient } from './history.ts'
import type { KeyStore, NodeIdentity } from './keystore.ts'
import type { Devp2pHost, Libp2pHost } from './overlay.ts'
import type { PrivacyProtocol, V1PrivacyProtocol } from './privacy.ts'
import type { SecureTransport } from './secure.ts'
import type { KeyValueStore, MessageArchive } from './store.ts'
import type { DataSync } from './sync.ts'
import type {
  WakuFilterClientService,
  WakuFilterService,
  WakuLightpushClientService,
  WakuLightpushService,
  WakuRelayService,
  WakuStoreService,
} from './waku2.ts'

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
/** 11/WAKU2-RELAY (protocol-waku2-relay). */
export const waku2Relay = capability<WakuRelayService>('waku2-relay')
/** 13/WAKU2-STORE: queries, and the node's own archive when it serves (protocol-waku2-store). */
export const waku2Store = capability<WakuStoreService>('waku2-store')
/** 12/WAKU2-FILTER service (protocol-waku2-filter). */
export const waku2Filter = capability<WakuFilterService>('waku2-filter')
/** 12/WAKU2-FILTER light client. */
export const waku2FilterClient = capability<WakuFilterClientService>('waku2-filter-client')
/** 19/WAKU2-LIGHTPUSH service (protocol-waku2-lightpush). */
export const waku2Lightpush = capability<WakuLightpushService>('waku2-lightpush')
/** 19/WAKU2-LIGHTPUSH light client. */
export const waku2LightpushClient = capability<WakuLightpushClientService>('waku2-lightpush-client')
export const keyValueStore = capability<KeyValueStore>('key-value-store')
export const messageArchive = capability<MessageArchive>('message-archive')
export const keyStore = capability<KeyStore>('key-store')
export const dataSync = capability<DataSync>('data-sync')
export const secureTransport = capability<SecureTransport>('secure-transport')
/** Fetches missed history from mailservers (Whisper/Waku v1). */
export const historyClient = capability<HistoryClient>('history-client')
