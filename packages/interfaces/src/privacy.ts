import type { AbortOptions } from './abort.ts'
import type { TypedEventTarget } from './events.ts'
import type { Startable } from './startable.ts'

/**
 * A message as a transport-privacy protocol (Whisper v6, Waku v1, Waku v2) carries it. `payload`
 * is the already-encoded payload (for example a version-1 encrypted payload); encryption is the
 * envelope codec's job, not the protocol's.
 */
export interface PrivacyMessage {
  /** 4-byte topic (hex) for Whisper/Waku v1, content topic for Waku v2 */
  topic: string
  payload: Uint8Array
  /** seconds to live (v1) — ignored by Waku v2 */
  ttl?: number
  /** minimum proof of work to seal with (v1) */
  pow?: number
  /** Waku v2 only */
  pubsubTopic?: string
  ephemeral?: boolean
}

export interface ReceivedMessage extends PrivacyMessage {
  /** protocol-specific message hash, hex */
  hash: string
  /** unix milliseconds at which the sender created it */
  timestamp: number
  /** peer that relayed it to us, if known */
  from?: string
}

export interface MessageFilter {
  topics: string[]
  pubsubTopic?: string
}

export interface Subscription {
  unsubscribe(options?: AbortOptions): Promise<void>
}

export interface PrivacyProtocolEvents {
  'message:received': ReceivedMessage
}

export interface PrivacyProtocol extends Startable, TypedEventTarget<PrivacyProtocolEvents> {
  /** `shh/6`, `waku/1`, `waku2` */
  readonly protocol: string
  /** Sends a message; resolves with its hash once handed to the network. */
  post(message: PrivacyMessage, options?: AbortOptions): Promise<string>
  subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription>
}

/**
 * Whisper v6 and Waku v1 (the devp2p generation) also expose their admission settings, which geth's
 * `shh_*` and status-go's `waku_*` APIs change at run time.
 */
export interface V1PrivacyProtocol extends PrivacyProtocol {
  readonly minPow: number
  /** the 64-byte bloom filter this node advertises */
  readonly bloom: Uint8Array
  /** Changes the minimum PoW and tells every peer; the previous value is honoured for a grace period. */
  setMinPow(pow: number, options?: AbortOptions): Promise<void>
  /** Changes the advertised bloom filter and tells every peer; the previous one is honoured for a grace period. */
  setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void>
  /** ids of peers whose status handshake completed */
  readyPeers(): string[]
}
