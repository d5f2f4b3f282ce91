/** Whisper v6 / Waku v1 topics: 4 bytes, shown as `0x` + 8 hex digits. */
import { bytesToHex, keccak256, utf8ToBytes } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'

export const TOPIC_LENGTH = 4

/**
 * go-ethereum's `BytesToTopic`: the first 4 bytes, left-aligned; shorter input is zero-padded on the
 * right, longer input truncated. `undefined`/`null` (Go's nil) gives the zero topic.
 */
export function bytesToTopic(bytes: Uint8Array | null | undefined): Uint8Array {
  const topic = new Uint8Array(TOPIC_LENGTH)
  if (bytes != null) topic.set(bytes.subarray(0, TOPIC_LENGTH))
  return topic
}

/** The text form go-ethereum prints and JSON-RPC uses: `0x` + lowercase hex. */
export function topicToHex(topic: Uint8Array): string {
  assertTopic(topic)
  return `0x${bytesToHex(topic)}`
}

/** Parses `0x1234abcd` (the `0x` is optional). Anything but exactly 4 bytes of hex is rejected. */
export function hexToTopic(text: string): Uint8Array {
  const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text
  if (!/^[0-9a-fA-F]{8}$/.test(digits)) {
    throw new InvalidParametersError(`a topic is 8 hex digits, got ${JSON.stringify(text)}`)
  }
  return Uint8Array.from(digits.match(/../g)!, (pair) => Number.parseInt(pair, 16))
}

/**
 * Status's topic for a name: keccak256(UTF-8 name)[:4]. Public chats use the chat name; the
 * legacy contact-discovery topic is `topicFromName('contact-discovery')` = f8946aac.
 */
export function topicFromName(name: string | Uint8Array): Uint8Array {
  const bytes = typeof name === 'string' ? utf8ToBytes(name) : name
  return keccak256(bytes).slice(0, TOPIC_LENGTH)
}

/** Throws `InvalidParametersError` unless `topic` is exactly 4 bytes. */
export function assertTopic(topic: Uint8Array): void {
  if (!(topic instanceof Uint8Array) || topic.length !== TOPIC_LENGTH) {
    throw new InvalidParametersError(`a topic is ${TOPIC_LENGTH} bytes, got ${topic?.length}`)
  }
}
