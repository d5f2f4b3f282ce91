/**
 * Status topics (status-go protocol/transport/topic.go, filters_manager.go; wakuv2/common/topic.go).
 * A topic is the first 4 bytes of keccak256(utf8(name)); on Waku v2 it travels as the content topic
 * `/waku/1/0x<8 hex>/rfc26`.
 */
import { bytesToHex } from '@parley/crypto'
import { symKeyFromPassword, topicFromName, topicToHex } from '@parley/envelope'
import { type AbortOptions, InvalidParametersError } from '@parley/interfaces'
import { wakuV1TopicToContentTopic } from '@parley/protocol-waku2'

// The 4-byte topic itself is the envelope package's; these names stay for chat callers.
export { bytesToTopic, topicFromName } from '@parley/envelope'

export const TOPIC_LENGTH = 4
/** go-ethereum's Whisper PBKDF2 count, kept by Waku: 65356, not 65536 (a long-standing typo). */
export const SYM_KEY_PBKDF2_ITERATIONS = 65356
export const SYM_KEY_LENGTH = 32
/** number of partitioned contact-discovery topics (54/WAKU2-X3DH-SESSIONS) */
export const DISCOVERY_PARTITIONS = 5000n
export const DISCOVERY_TOPIC_NAME = 'contact-discovery'

/** `0x` and 8 lowercase hex digits. */
export function topicToString(topic: Uint8Array): string {
  return topicToHex(topic)
}

/** The Waku v2 content topic that carries a 4-byte Status topic. */
export function contentTopic(topic: Uint8Array): string {
  return wakuV1TopicToContentTopic(topic)
}

export function contentTopicForName(name: string): string {
  return contentTopic(topicFromName(name))
}

/**
 * The symmetric key of a public chat (password = chat name) or negotiated topic (password = hex
 * shared secret): PBKDF2-SHA256 with an empty salt, 65356 iterations, 32 bytes (status-go
 * `AddSymKeyFromPassword`).
 */
export function symmetricKeyFromPassword(password: string, options?: AbortOptions): Promise<Uint8Array> {
  return symKeyFromPassword(password, options)
}

/** A public chat's topic name is the chat name itself. */
export function publicChatTopic(chatName: string): Uint8Array {
  return topicFromName(chatName)
}

function uncompressedHex(publicKey: Uint8Array): string {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) {
    throw new InvalidParametersError('expected a 65-byte uncompressed secp256k1 public key')
  }
  return bytesToHex(publicKey)
}

/** Where a user's contact code (bundle) is advertised: `0x<uncompressed key hex>-contact-code`. */
export function contactCodeTopicName(publicKey: Uint8Array): string {
  return `0x${uncompressedHex(publicKey)}-contact-code`
}

/** The personal discovery topic name: `contact-discovery-<uncompressed key hex>` (no `0x`). */
export function personalDiscoveryTopicName(publicKey: Uint8Array): string {
  return `${DISCOVERY_TOPIC_NAME}-${uncompressedHex(publicKey)}`
}

/** The partitioned discovery topic name: `contact-discovery-<X mod 5000>`. */
export function partitionedTopicName(publicKey: Uint8Array): string {
  const x = BigInt(`0x${uncompressedHex(publicKey).slice(2, 66)}`)
  return `${DISCOVERY_TOPIC_NAME}-${x % DISCOVERY_PARTITIONS}`
}
