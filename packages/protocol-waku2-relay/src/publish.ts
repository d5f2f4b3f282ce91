/** The outbound half of the relay: a post's WakuMessage, and publishing bytes on the router. */
import type { GossipSub } from '@chainsafe/libp2p-gossipsub'
import { bytesToHex } from '@parley/crypto'
import { LimitExceededError, type PrivacyMessage, type WakuPublishResult } from '@parley/interfaces'
import {
  computeMessageHash,
  encodeWakuMessage,
  nowNanoseconds,
  type WakuMessage,
} from '@parley/protocol-waku2'
import type { RelayMetrics } from './metrics.ts'

/** A message to post; the WakuMessage fields `PrivacyMessage` lacks are optional extras. */
export interface WakuRelayMessage extends PrivacyMessage {
  /** WakuMessage version: 0 (default) plaintext, 1 for a 26/WAKU2-PAYLOAD payload (Status). */
  version?: number
  /** Unix nanoseconds; default now. */
  timestamp?: bigint
  meta?: Uint8Array
}

/**
 * The WakuMessage `message` posts (`topic` is its content topic) and its wire bytes. Throws
 * `LimitExceededError` above `maxMessageSize`, `InvalidParametersError` for fields the wire cannot carry.
 */
export function encodeForRelay(
  message: WakuRelayMessage,
  maxMessageSize: number,
): { wakuMessage: WakuMessage; data: Uint8Array } {
  const wakuMessage: WakuMessage = {
    payload: message.payload,
    contentTopic: message.topic,
    timestamp: message.timestamp ?? nowNanoseconds(),
    ...(message.version === undefined ? {} : { version: message.version }),
    ...(message.meta === undefined ? {} : { meta: message.meta }),
    ...(message.ephemeral === undefined ? {} : { ephemeral: message.ephemeral }),
  }
  const data = encodeWakuMessage(wakuMessage)
  if (data.length > maxMessageSize)
    throw new LimitExceededError(
      `WakuMessage of ${data.length} bytes exceeds the relay limit of ${maxMessageSize}`,
    )
  return { wakuMessage, data }
}

export interface PublishContext {
  router: GossipSub
  /** this node's peer id: gossipsub lists it among recipients when it delivers to itself */
  self: string
  metrics: RelayMetrics
}

/**
 * Publishes `data` (the serialized `message`) on `pubsubTopic`. A message gossipsub has already
 * seen resolves with `duplicate: true` and no recipients.
 */
export async function publishOnRouter(
  { router, self, metrics }: PublishContext,
  pubsubTopic: string,
  data: Uint8Array,
  message: WakuMessage,
): Promise<WakuPublishResult> {
  const hash = `0x${bytesToHex(computeMessageHash(pubsubTopic, message))}`
  let sentTo: ReadonlyArray<{ toString(): string }>
  try {
    ;({ recipients: sentTo } = await router.publish(pubsubTopic, data, {
      ignoreDuplicatePublishError: false,
    }))
  } catch (error) {
    if (isDuplicate(error)) return { hash, recipients: [], duplicate: true }
    throw error
  }
  const recipients = sentTo.map(String).filter((peer) => peer !== self)
  metrics.published.inc({ pubsub_topic: pubsubTopic })
  metrics.bytes.inc(
    { pubsub_topic: pubsubTopic, direction: 'out' },
    (data.length + pubsubTopic.length) * recipients.length,
  )
  return { hash, recipients, duplicate: false }
}

function isDuplicate(error: unknown): boolean {
  return error instanceof Error && error.message === 'PublishError.Duplicate'
}
