/**
 * The Waku v1 bridge topic mapping (23/WAKU2-TOPICS "Bridging Waku v1 and Waku v2", status-go
 * wakuv2/common/topic.go `ContentTopic`): a 4-byte Waku v1/Whisper topic travels on Waku v2 as the
 * content topic `/waku/1/0x<8 lowercase hex digits>/rfc26` ("rfc26": a 26/WAKU2-PAYLOAD version-1
 * payload). The mapping is a bijection: only the lowercase form is accepted back, since content
 * topics are matched as exact strings.
 */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'

export const WAKU_V1_TOPIC_LENGTH = 4

const BRIDGE_TOPIC = /^\/waku\/1\/0x([0-9a-f]{8})\/rfc26$/

/** `/waku/1/0x<hex>/rfc26` for a 4-byte topic; throws `InvalidParametersError` for another length. */
export function wakuV1TopicToContentTopic(topic: Uint8Array): string {
  if (topic.length !== WAKU_V1_TOPIC_LENGTH)
    throw new InvalidParametersError(`A Waku v1 topic is ${WAKU_V1_TOPIC_LENGTH} bytes, got ${topic.length}`)
  return `/waku/1/0x${bytesToHex(topic)}/rfc26`
}

/** The 4-byte topic inside a bridge content topic; throws `InvalidParametersError` for any other topic. */
export function contentTopicToWakuV1Topic(contentTopic: string): Uint8Array {
  const hex = BRIDGE_TOPIC.exec(contentTopic)?.[1]
  if (hex === undefined)
    throw new InvalidParametersError(
      `Not a Waku v1 bridge content topic (/waku/1/0x<8 lowercase hex>/rfc26): ${contentTopic}`,
    )
  return hexToBytes(hex)
}

/** True for content topics of the form `/waku/1/0x<8 lowercase hex>/rfc26`. */
export function isWakuV1ContentTopic(contentTopic: string): boolean {
  return BRIDGE_TOPIC.test(contentTopic)
}
