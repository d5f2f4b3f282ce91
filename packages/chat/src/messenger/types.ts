import type {
  AbortOptions,
  DataSync,
  HistoryClient,
  KeyValueStore,
  Logger,
  Metrics,
  PrivacyProtocol,
  Secp256k1Provider,
  SecureTransport,
  SecureTransportEvents,
  TypedEventTarget,
  WakuStoreService,
} from '@parley/interfaces'
import type { Chat, ChatType } from './state.ts'

export interface MessengerComponents {
  privacy: PrivacyProtocol
  secure: SecureTransport
  /** where the secure transport announces a refreshed bundle (`@parley/secure-transport`'s service does) */
  bundleEvents?: TypedEventTarget<BundleEvents>
  sync: DataSync
  store: KeyValueStore
  /** 32-byte identity private key: the secure transport's identity */
  identityKey: Uint8Array
  /** default: `(await loadCrypto()).secp256k1` at start */
  secp256k1?: Secp256k1Provider
  /** Whisper/Waku v1 history: a mailserver client */
  history?: HistoryClient
  /** Waku v2 history: the store client, asked at `MessengerOptions.storePeer` */
  wakuStore?: WakuStoreService
  logger: Logger
  metrics: Metrics
}

export interface MessengerOptions {
  /** seconds to live of Whisper/Waku v1 envelopes (default 60) */
  ttl?: number
  /** proof of work of Whisper/Waku v1 envelopes (default 0.002, status-go's) */
  pow?: number
  /** how far back the first history fetch reaches, seconds (default 86 400) */
  historyWindowSeconds?: number
  /** fetch history through the history client at start and on joining a public chat (default true) */
  autoFetchHistory?: boolean
  /** Waku v2: the store node to ask for history (a multiaddr ending in `/p2p/<id>`, or a peer id) */
  storePeer?: string
  /** Waku v2: the pubsub topic our messages travel on (default `/waku/2/rs/0/0`, the relay's default) */
  storePubsubTopic?: string
  /** store key prefix (default `messenger/`) */
  keyPrefix?: string
  /** wall clock in ms (default Date.now), for Lamport clocks, timestamps and the contact-code schedule */
  now?: () => number
  /** how often to check whether our contact code is due, ms (default 120 000, status-go's) */
  contactCodeCheckIntervalMs?: number
  /** republish our contact code once the last publication is this old, ms (default 21 600 000 = 6 h, status-go's) */
  contactCodePublishIntervalMs?: number
}

/** What a secure transport announces: `@parley/interfaces`' `SecureTransportEvents`. */
export type BundleEvents = SecureTransportEvents

/** A chat message as the app sees it. */
export interface MessengerMessage {
  /** 0x-hex Status message id: keccak256(author key || envelope) */
  id: string
  chatId: string
  chatType: ChatType
  /** 0x-hex uncompressed public key of the author */
  from: string
  text: string
  /** Lamport clock */
  clock: bigint
  /** author's wall clock, unix ms */
  timestamp: number
  /** `ContentType` */
  contentType: number
  /** 0x-hex id of the message this replies to, or '' */
  responseTo: string
}

export interface SentMessage {
  id: string
  chatId: string
  clock: bigint
  timestamp: number
}

export interface MessengerEvents {
  /** a message of someone else's, once per message id */
  'message:received': MessengerMessage
  /** `peer` acknowledged our one-to-one or group message (MVDS ACK) */
  'message:delivered': { messageId: string; chatId: string; peer: string }
  /** a chat was joined, created, or its name or members changed */
  'chat:updated': Chat
  /**
   * a contact's contact code arrived (never a chat message): the secure transport learnt its bundle;
   * `installations` are the installation ids it added or updated (empty if none was new)
   */
  'contact-code:received': { publicKey: string; installations: string[] }
  /** incoming bytes refused; also counted in `parley_messenger_rejected_total{reason}` */
  'message:rejected': { reason: RejectionReason; error: Error }
}

export type RejectionReason =
  | 'undecryptable'
  | 'unsigned'
  | 'secure-transport'
  | 'malformed'
  | 'signature'
  | 'signer-mismatch'
  | 'wrong-chat'
  | 'not-a-member'
  | 'membership'

export type { AbortOptions, Chat, ChatType }
