/** What the bridge uses of each protocol: only their public APIs. */
import type {
  AbortOptions,
  MessageFilter,
  PrivacyMessage,
  ReceivedMessage,
  Subscription,
  V1PrivacyProtocol,
} from '@parley/interfaces'
import type { BridgeSide } from './options.ts'

/**
 * The Waku v2 relay as the bridge drives it: `post` with the WakuMessage extras (`version`,
 * `timestamp` in ns) that protocol-waku2-relay's `WakuRelay.post` takes, content-topic
 * `subscribe`, and the pubsub topics it relays.
 */
export interface BridgeRelay {
  post(message: BridgeRelayMessage, options?: AbortOptions): Promise<string>
  subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription>
  pubsubTopics(): string[]
  /** the pubsub topic a content topic goes to; absent: the first of `pubsubTopics()` */
  pubsubTopicFor?(contentTopic: string): string
}

export interface BridgeRelayMessage extends PrivacyMessage {
  /** 1: the payload is v1-encrypted (26/WAKU2-PAYLOAD) */
  version?: number
  /** unix ns */
  timestamp?: bigint
}

/**
 * Whisper's libp2p clients as the bridge sees them (`MurmurServer`): envelopes they sent, and two
 * ways to reach them: the original envelope unchanged (`relay`), or a new one sealed (`post`).
 */
export interface MurmurSide {
  readonly minPow: number
  readonly maxMessageSize: number
  post(message: PrivacyMessage, options?: AbortOptions): Promise<string>
  /** sends an envelope's RLP unchanged; returns its hash */
  relay(envelope: Uint8Array): string
  /** every new valid envelope a client sent, and the client's peer id; returns the unsubscriber */
  onEnvelope(listener: (envelope: Uint8Array, from: string) => void): () => void
}

export interface BridgeSides {
  whisper?: V1PrivacyProtocol
  waku1?: V1PrivacyProtocol
  waku2?: BridgeRelay
  murmur?: MurmurSide
}

/** True when `service` has what `MurmurSide` needs. */
export function isMurmurSide(service: unknown): service is MurmurSide {
  const candidate = service as Partial<MurmurSide> | null
  return typeof candidate?.relay === 'function' && typeof candidate.onEnvelope === 'function'
}

/** True when `service` has what `BridgeRelay` needs (any `waku2Relay` provider should). */
export function isBridgeRelay(service: unknown): service is BridgeRelay {
  const candidate = service as Partial<BridgeRelay> | null
  return (
    typeof candidate?.post === 'function' &&
    typeof candidate.subscribe === 'function' &&
    typeof candidate.pubsubTopics === 'function'
  )
}

export function presentSides(sides: BridgeSides): BridgeSide[] {
  return (['whisper', 'waku1', 'waku2', 'murmur'] as const).filter((side) => sides[side] !== undefined)
}
