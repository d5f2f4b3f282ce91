/**
 * The two digests of a WakuMessage:
 * - the 14/WAKU2-MESSAGE deterministic hash, the key of 13/WAKU2-STORE v3 and of deduplication;
 * - the 11/WAKU2-RELAY gossipsub message id, SHA-256 of the serialized bytes.
 * They are different values (notes §17 item 3).
 */
import { sha256 } from '@parley/crypto'
import type { WakuMessage } from './types.ts'

const utf8Encoder = new TextEncoder()

/**
 * SHA-256(utf8(pubsubTopic) || payload || utf8(contentTopic) || meta || uint64_be(timestamp)).
 * version, ephemeral and rateLimitProof are not hashed; an absent meta contributes nothing.
 *
 * An absent timestamp contributes 8 zero bytes, as nwaku (waku_core/message/digest.nim) and go-waku
 * (pb/utils.go) do and as store v3 servers key their messages; js-waku instead omits the bytes when the
 * timestamp is absent or 0, giving a different hash for the same message. We match nwaku. A negative
 * timestamp is hashed as its two's-complement uint64, as the Go and Nim casts do.
 */
export function computeMessageHash(pubsubTopic: string, message: WakuMessage): Uint8Array {
  const topic = utf8Encoder.encode(pubsubTopic)
  const contentTopic = utf8Encoder.encode(message.contentTopic)
  const meta = message.meta ?? new Uint8Array(0)
  const preimage = new Uint8Array(
    topic.length + message.payload.length + contentTopic.length + meta.length + 8,
  )
  let offset = 0
  for (const part of [topic, message.payload, contentTopic, meta]) {
    preimage.set(part, offset)
    offset += part.length
  }
  new DataView(preimage.buffer).setBigUint64(offset, BigInt.asUintN(64, message.timestamp ?? 0n), false)
  return sha256(preimage)
}

/**
 * The gossipsub message id of 11/WAKU2-RELAY: SHA-256 of `Message.data`, i.e. of the serialized
 * WakuMessage exactly as received (never re-encode a received message to compute it).
 */
export function relayMessageId(serializedWakuMessage: Uint8Array): Uint8Array {
  return sha256(serializedWakuMessage)
}
