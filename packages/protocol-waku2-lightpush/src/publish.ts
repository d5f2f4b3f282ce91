/**
 * What the service does with one pushed message, as nwaku's relay push handler does it
 * (waku_lightpush/callbacks.nim, protocol.nim): find the pubsub topic, validate with the relay's
 * validator, publish the exact bytes, and say which status code answers it.
 */
import type { WakuLightpushOutcome, WakuRelayService } from '@parley/interfaces'
import {
  type AutoshardingConfig,
  contentTopicToPubsubTopic,
  isValidContentTopic,
  parsePubsubTopic,
} from '@parley/protocol-waku2'
import {
  RelayRejectedError,
  type RelayRejectReason,
  validateRelayMessage,
} from '@parley/protocol-waku2-relay'
import { DUPLICATE_MESSAGE, LightpushStatus, NO_PEERS_MESSAGE } from './constants.ts'

/** What lightpush needs of the relay: the topics it relays and its raw publish. */
export type LightpushRelay = Pick<WakuRelayService, 'pubsubTopics' | 'publishMessage'>

export interface PublishSettings {
  maxMessageSize: number
  maxTimestampDrift: number
  autosharding: AutoshardingConfig | undefined
}

/** The status and, when known, the pubsub topic the message went to (or would have). */
export type PushOutcome = WakuLightpushOutcome

/**
 * Validates and publishes `serialized` on `pubsubTopic` (or the one autosharding, else the relay's
 * first topic, gives). Never throws.
 */
export async function publishPushed(
  relay: LightpushRelay,
  settings: PublishSettings,
  requestedTopic: string | undefined,
  serialized: Uint8Array,
  now: number = Date.now(),
): Promise<PushOutcome> {
  const validation = validateRelayMessage(serialized, { ...settings, now })
  if (!validation.valid) return rejected(validation.reason, settings.maxMessageSize)
  const message = validation.message
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
  let published: Awaited<ReturnType<LightpushRelay['publishMessage']>>
  try {
    published = await relay.publishMessage(pubsubTopic, serialized)
  } catch (error) {
    // The relay's own limits may be stricter than ours.
    if (error instanceof RelayRejectedError)
      return { ...rejected(error.reason, settings.maxMessageSize), pubsubTopic }
    return { ...fail(LightpushStatus.INTERNAL_SERVER_ERROR, `publish failed: ${String(error)}`), pubsubTopic }
  }
  // gossipsub refuses a message it has seen: nwaku answers that as an invalid message.
  if (published.duplicate) return { ...fail(LightpushStatus.INVALID_MESSAGE, DUPLICATE_MESSAGE), pubsubTopic }
  const relayPeerCount = published.recipients.length
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

/** nwaku's answer to what the relay validator rejects. */
function rejected(reason: RelayRejectReason, maxMessageSize: number): PushOutcome {
  switch (reason) {
    case 'oversize':
      return fail(
        LightpushStatus.PAYLOAD_TOO_LARGE,
        `Message size exceeded maximum of: ${maxMessageSize} bytes`,
      )
    case 'undecodable':
      return fail(LightpushStatus.BAD_REQUEST, 'decode_rpc_failure: not a WakuMessage')
    case 'timestamp-old':
      return fail(LightpushStatus.INVALID_MESSAGE, 'invalid message: timestamp is too old')
    case 'timestamp-future':
      return fail(LightpushStatus.INVALID_MESSAGE, 'invalid message: timestamp is in the future')
  }
}
