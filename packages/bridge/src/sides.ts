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

export interface BridgeSides {
  whisper?: V1PrivacyProtocol
  waku1?: V1PrivacyProtocol
  waku2?: BridgeRelay
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
  return (['whisper', 'waku1', 'waku2'] as const).filter((side) => sides[side] !== undefined)
}
