/**
 * What may cross, decided before anything is sent: bridging never amplifies, so traffic that is
 * malformed, expired, stale, oversized or under-worked on one side is dropped here, with a reason,
 * and never reaches another. Pure functions of the message, the clock and the policy.
 */
import { decodeEnvelope, envelopePow, topicToHex } from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { contentTopicToWakuV1Topic, isWakuV1ContentTopic } from '@parley/protocol-waku2'
import { SeenCache } from './seen-cache.ts'

/** Why a message did not cross (the `result` label of the bridge's counter, next to `bridged`). */
export type DropReason =
  /** v1 bytes that are not an envelope; an empty v2 payload */
  | 'malformed'
  /** a content topic outside `/waku/1/0x…/rfc26`, or a topic the bridge is not configured for */
  | 'topic'
  /** a v2 message that is not a version-1 (v1-encrypted) payload */
  | 'version'
  /** a v1 envelope with less than `minRemainingTtl` left */
  | 'expired'
  /** a timestamp outside the v2 relay's window (it would be rejected there) */
  | 'stale'
  | 'too-big'
  | 'low-pow'
  /** seen before: it already crossed, or came back from a side we posted it to */
  | 'duplicate'
  | 'rate-limit'
  /** too many posts of this direction in flight */
  | 'backlog'
  /** the target protocol refused or failed the post */
  | 'failed'

export const DROP_REASONS: readonly DropReason[] = [
  'malformed',
  'topic',
  'version',
  'expired',
  'stale',
  'too-big',
  'low-pow',
  'duplicate',
  'rate-limit',
  'backlog',
  'failed',
]

/** A message that passed the ingress checks, in the form every side can carry. */
export interface Crossing {
  /** 4 bytes */
  topic: Uint8Array
  /** the v1-encrypted payload: an envelope's data, a version-1 WakuMessage's payload */
  payload: Uint8Array
  /** `SeenCache.keyOf(topic, payload)` */
  key: string
  /** when the sender made it, unix ms: a v1 envelope's expiry − TTL, a WakuMessage's timestamp */
  sentAt: number
  /** a v1 envelope's expiry, unix seconds */
  expiry?: number
  /** a v1 envelope's RLP, for the v1 sides and `murmur`, which carry it unchanged */
  envelope?: Uint8Array
  /** a v1 envelope's proof of work: whether a v1 target takes it as it is */
  pow?: number
}

export type Checked = { ok: true; crossing: Crossing } | { ok: false; reason: DropReason }

export interface IngressPolicy {
  topics: ReadonlySet<string> | undefined
  minPow: number
  maxPayloadSize: number
  minRemainingTtl: number
  maxTimestampDrift: number
}

/** A v1 envelope (its RLP, as `envelope:accepted` carries it) at `now` (unix ms). */
export function checkV1Envelope(rlp: Uint8Array, now: number, policy: IngressPolicy): Checked {
  let envelope: ReturnType<typeof decodeEnvelope>
  try {
    envelope = decodeEnvelope(rlp)
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  const { topic, data, expiry, ttl } = envelope
  if (policy.topics !== undefined && !policy.topics.has(topicToHex(topic)))
    return { ok: false, reason: 'topic' }
  if (data.length > policy.maxPayloadSize) return { ok: false, reason: 'too-big' }
  if (expiry - Math.floor(now / 1000) < policy.minRemainingTtl) return { ok: false, reason: 'expired' }
  let pow: number
  try {
    pow = envelopePow(envelope)
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (pow < policy.minPow) return { ok: false, reason: 'low-pow' }
  const crossing = {
    topic,
    payload: data,
    key: SeenCache.keyOf(topic, data),
    sentAt: (expiry - ttl) * 1000,
    expiry,
    envelope: rlp,
    pow,
  }
  return { ok: true, crossing }
}

/** A Waku v2 relay message at `now` (unix ms). */
export function checkV2Message(message: ReceivedMessage, now: number, policy: IngressPolicy): Checked {
  if (!isWakuV1ContentTopic(message.topic)) return { ok: false, reason: 'topic' }
  const topic = contentTopicToWakuV1Topic(message.topic)
  if (policy.topics !== undefined && !policy.topics.has(topicToHex(topic)))
    return { ok: false, reason: 'topic' }
  if (message.version !== 1) return { ok: false, reason: 'version' }
  const { payload } = message
  if (payload.length === 0) return { ok: false, reason: 'malformed' }
  if (payload.length > policy.maxPayloadSize) return { ok: false, reason: 'too-big' }
  if (!withinDrift(message.timestamp, now, policy.maxTimestampDrift)) return { ok: false, reason: 'stale' }
  return {
    ok: true,
    crossing: { topic, payload, key: SeenCache.keyOf(topic, payload), sentAt: message.timestamp },
  }
}

/** Whether a timestamp (unix ms) is within `drift` ms of `now`, as the v2 relay's validator wants. */
export function withinDrift(timestamp: number, now: number, drift: number): boolean {
  return Number.isFinite(timestamp) && Math.abs(timestamp - now) <= drift
}
