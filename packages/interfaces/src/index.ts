export type { AbortOptions } from './abort.ts'
export * from './capabilities.ts'
export { type Capability, capability, capabilityName } from './capability.ts'
export type { HashProvider, ProviderKind, Secp256k1Provider } from './crypto.ts'
export type { DiscoveredPeer, PeerDiscovery, PeerDiscoveryEvents } from './discovery.ts'
export * from './errors.ts'
export { TypedEventEmitter, type TypedEventEmitterOptions } from './event-emitter.ts'
export type {
  EventHandler,
  ListenerOptions,
  ParleyEvents,
  PeerEventDetail,
  PluginEventDetail,
  TypedEventTarget,
} from './events.ts'
export type { HistoryClient, HistoryQuery, HistoryResult, TopicHistoryStatus } from './history.ts'
export type { KeyStore, KeyType, NodeIdentity, StoredKey } from './keystore.ts'
export type { ComponentLogger, Logger } from './logger.ts'
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  MetricLabels,
  MetricOptions,
  Metrics,
} from './metrics.ts'
export { DISCOVERY_BYTES_METRIC } from './metrics.ts'
export type {
  Devp2pCapability,
  Devp2pHost,
  Devp2pNodeInfo,
  Devp2pPeer,
  Devp2pPeerInfo,
  Libp2pHost,
  Libp2pPeerInfo,
  Libp2pStreamHandler,
  Libp2pStreamSource,
} from './overlay.ts'
export type { Components, Plugin } from './plugin.ts'
export type {
  MessageFilter,
  PrivacyMessage,
  PrivacyProtocol,
  PrivacyProtocolEvents,
  ReceivedMessage,
  Subscription,
  V1Archiver,
  V1DirectEvents,
  V1PrivacyProtocol,
  V1PrivacyProtocolEvents,
} from './privacy.ts'
export { isSecret, Secret, secret } from './secret.ts'
export type {
  DecryptedMessage,
  NegotiatedTopic,
  SecureMessageKind,
  SecureTransport,
  SecureTransportEvents,
} from './secure.ts'
export { isStartable, type Startable } from './startable.ts'
export type {
  ArchivedMessage,
  KeyValueBatch,
  KeyValueEntriesOptions,
  KeyValueStore,
  MessageArchive,
  MessageCursor,
  MessagePage,
  MessageQuery,
} from './store.ts'
export type { DataSync, DataSyncEvents, DataSyncReceipt, DataSyncTransport, SyncMessage } from './sync.ts'
export type {
  WakuFilterClientService,
  WakuFilterClientSubscription,
  WakuFilterMessage,
  WakuFilterService,
  WakuHistoryPage,
  WakuHistoryQuery,
  WakuLightpushClientService,
  WakuLightpushMessage,
  WakuLightpushOutcome,
  WakuLightpushService,
  WakuMessageFields,
  WakuPublishResult,
  WakuRelayEvents,
  WakuRelayedMessage,
  WakuRelayService,
  WakuStoredEntry,
  WakuStorePage,
  WakuStoreQuery,
  WakuStoreService,
} from './waku2.ts'
