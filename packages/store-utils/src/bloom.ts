/**
 * The Whisper v6 / Waku v1 topic bloom, for stores that keep topics as 8-hex-digit strings.
 *
 * Each topic names up to three bit indexes: topic[i] (+256 when bit i of topic[3] is set), i < 3.
 * go-ethereum's `TopicToBloom` (and status-go after it) ASSIGNS `bloom[index / 8] = 1 << index % 8`
 * instead of OR-ing, so when two indexes fall in one byte the later replaces the earlier and the
 * bloom holds fewer bits than EIP-627 describes. Archives answer status-go clients, so they follow
 * go-ethereum. `@parley/envelope`'s `topicToBloom` computes the same bloom from topic bytes; the
 * stores do not import it because it brings the crypto and RLP packages with it (a test keeps the
 * two in agreement).
 */

export const BLOOM_BYTES = 64

const V1_TOPIC = /^[0-9a-fA-F]{8}$/

/** The bloom's set bits as byte index → mask, at most three, with go-ethereum's replacing rule. */
function bloomBytes(topic: string): Map<number, number> | undefined {
  if (!V1_TOPIC.test(topic)) return undefined
  const value = Number.parseInt(topic, 16)
  const high = value & 0xff
  const bytes = new Map<number, number>()
  for (let index = 0; index < 3; index++) {
    const bit = ((value >>> (24 - 8 * index)) & 0xff) + ((high >> index) & 1) * 256
    bytes.set(bit >> 3, 1 << (bit & 7))
  }
  return bytes
}

/** The 64-byte bloom of `topic` (8 hex digits) as go-ethereum computes it; undefined for other topics. */
export function topicBloom(topic: string): Uint8Array | undefined {
  const bytes = bloomBytes(topic)
  if (bytes === undefined) return undefined
  const bloom = new Uint8Array(BLOOM_BYTES)
  for (const [byte, mask] of bytes) bloom[byte] = mask
  return bloom
}

/**
 * Whether every bit of `topic`'s bloom is set in `bloom` (go-ethereum's `BloomFilterMatch`). Topics
 * that are not 8 hex digits (Waku v2 content topics) have no bloom and never match.
 */
export function topicInBloom(topic: string, bloom: Uint8Array): boolean {
  const bytes = bloomBytes(topic)
  if (bytes === undefined) return false
  for (const [byte, mask] of bytes) if (((bloom[byte] ?? 0) & mask) === 0) return false
  return true
}
