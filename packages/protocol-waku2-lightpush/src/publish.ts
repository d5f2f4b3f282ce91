/**
 * What the service does with one pushed message, as nwaku's relay push handler does it
 * (waku_lightpush/callbacks.nim, protocol.nim): find the pubsub topic, validate as the relay
 * would, publish the exact bytes, and say which status code answers it.
 */
import { DecodeError } from '@parley/interfaces'
import {
  type AutoshardingConfig,
  contentTopicToPubsubTopic,
  decodeWakuMessage,
  isValidContentTopic,
  parsePubsubTopic,
  type WakuMessage,
} from '@parley/protocol-waku2'
import { DUPLICATE_MESSAGE, LightpushStatus, NO_PEERS_MESSAGE } from './constants.ts'

/** What lightpush needs of the relay: the topics it relays and its gossipsub router. */
export interface LightpushRelay {
  pubsubTopics(): string[]
  readonly router: {
    publish(topic: string, data: Uint8Array): Promise<{ recipients: ReadonlyArray<{ toString(): string }> }>
  }
}

export interface PublishSettings {
  maxMessageSize: number
  maxTimestampDrift: number
  autosharding: AutoshardingConfig | undefined
}

export interface PushOutcome {
  statusCode: number
  statusDesc?: string
  relayPeerCount?: number
  /** the pubsub topic the message went to (or would have) */
  pubsubTopic?: string
}

const NS_PER_MS = 1_000_000n

/**
 * Validates and publishes `serialized` on `pubsubTopic` (or the one autosharding, else the relay's
 * first topic, gives). `self` is our peer id, never counted as a relay peer. Never throws.
 */
export async function publishPushed(
  relay: LightpushRelay,
  self: string,
  settings: PublishSettings,
  requestedTopic: string | undefined,
  serialized: Uint8Array,
  now: number = Date.now(),
): Promise<PushOutcome> {
  if (serialized.length > settings.maxMessageSize)
    return fail(
      LightpushStatus.PAYLOAD_TOO_LARGE,
      `Message size exceeded maximum of: ${settings.maxMessageSize} bytes`,
    )
  let message: WakuMessage
  try {
    message = decodeWakuMessage(serialized, { maxSize: settings.maxMessageSize })
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error
    return fail(LightpushStatus.BAD_REQUEST, `decode_rpc_failure: ${error.message}`)
  }
  if (!isValidContentTopic(message.contentTopic))
    return fail(
      LightpushStatus.INVALID_MESSAGE,
      `Invalid content-topic: ${message.contentTopic.slice(0, 100)}`,
    )
  let relayed: string[]
  try {
    relayed = relay.pubsubTopics()
  } catch {
    return fail(LightpushStatus.SERVICE_NOT_AVAILABLE, 'relay is not running')
  }
  const pubsubTopic = requestedTopic ?? topicFor(message.contentTopic, settings.autosharding, relayed)
  if (pubsubTopic === undefined)
    return fail(LightpushStatus.INTERNAL_SERVER_ERROR, 'no pubsub topic for the message')
  if (pubsubTopic === '') return fail(LightpushStatus.BAD_REQUEST, 'topic must not be empty')
  try {
    parsePubsubTopic(pubsubTopic)
  } catch {
    return fail(LightpushStatus.BAD_REQUEST, `invalid pubsub topic: ${pubsubTopic.slice(0, 100)}`)
  }
  if (!relayed.includes(pubsubTopic))
    return {
      ...fail(LightpushStatus.UNSUPPORTED_PUBSUB_TOPIC, `pubsub topic not relayed here: ${pubsubTopic}`),
      pubsubTopic,
    }
  const drift = timestampProblem(message, now, settings.maxTimestampDrift)
  if (drift !== undefined) return { ...fail(LightpushStatus.INVALID_MESSAGE, drift), pubsubTopic }
  let recipients: ReadonlyArray<{ toString(): string }>
  try {
    ;({ recipients } = await relay.router.publish(pubsubTopic, serialized))
  } catch (error) {
    // gossipsub refuses a message it has seen: nwaku answers that as an invalid message.
    if (error instanceof Error && error.message.includes('Duplicate'))
      return { ...fail(LightpushStatus.INVALID_MESSAGE, DUPLICATE_MESSAGE), pubsubTopic }
    return { ...fail(LightpushStatus.INTERNAL_SERVER_ERROR, `publish failed: ${String(error)}`), pubsubTopic }
  }
  const relayPeerCount = recipients.filter((peer) => peer.toString() !== self).length
  if (relayPeerCount === 0)
    return { ...fail(LightpushStatus.NO_PEERS_TO_RELAY, NO_PEERS_MESSAGE), pubsubTopic }
  return { statusCode: LightpushStatus.SUCCESS, relayPeerCount, pubsubTopic }
}

function fail(statusCode: number, statusDesc: string): PushOutcome {
  return { statusCode, statusDesc }
}

function topicFor(
  contentTopic: string,
  autosharding: AutoshardingConfig | undefined,
  relayed: string[],
): string | undefined {
  return autosharding === undefined ? relayed[0] : contentTopicToPubsubTopic(contentTopic, autosharding)
}

/** The relay's timestamp rule: absent or 0 passes, otherwise within `maxDriftMs` of `now`. */
function timestampProblem(message: WakuMessage, now: number, maxDriftMs: number): string | undefined {
  const timestamp = message.timestamp ?? 0n
  if (timestamp === 0n) return undefined
  const drift = BigInt(Math.round(maxDriftMs)) * NS_PER_MS
  const local = BigInt(Math.round(now)) * NS_PER_MS
  if (timestamp < local - drift) return 'invalid message: timestamp is too old'
  if (timestamp > local + drift) return 'invalid message: timestamp is in the future'
  return undefined
}
