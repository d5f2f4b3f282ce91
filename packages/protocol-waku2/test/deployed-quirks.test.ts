/**
 * Where 14/WAKU2-MESSAGE, relay-sharding and 11/WAKU2-RELAY (or js-waku) differ from nwaku, this
 * package follows nwaku (and go-waku). One test per difference (notes §17 items 1–3, plus the
 * decoder limits nwaku enforces).
 */
import { bytesToHex, hexToBytes, sha256 } from '@parley/crypto'
import { DecodeError } from '@parley/interfaces'
import {
  computeMessageHash,
  contentTopicToShard,
  decodeWakuMessage,
  encodeWakuMessage,
  relayMessageId,
  type WakuMessage,
} from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { caseById, loadCases, messageOf, num, str } from './vectors.ts'

const hashCases = loadCases('waku2-message-hash.json')
const shardingCases = loadCases('waku2-sharding.json')

/** js-waku's preimage: no timestamp bytes at all when the timestamp is absent or 0. */
function jsWakuStylePreimage(pubsubTopic: string, message: WakuMessage): Uint8Array {
  const encoder = new TextEncoder()
  const timestamp = message.timestamp ?? 0n
  const parts = [
    encoder.encode(pubsubTopic),
    message.payload,
    encoder.encode(message.contentTopic),
    message.meta ?? new Uint8Array(0),
  ]
  if (timestamp !== 0n) {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setBigUint64(0, timestamp, false)
    parts.push(bytes)
  }
  return new Uint8Array(parts.flatMap((part) => [...part]))
}

describe('1. absent timestamp in the message hash: nwaku/go-waku hash 8 zero bytes, js-waku nothing', () => {
  const zero = caseById(hashCases, 'gowaku-timestamp-absent-ZERO')
  const omitted = caseById(hashCases, 'jswaku-timestamp-absent-OMITTED')

  it('both vectors describe the same message', () => {
    expect(omitted.input).toEqual(zero.input)
  })

  it('we produce the nwaku/go-waku hash, not the js-waku one', () => {
    const hash = bytesToHex(computeMessageHash(str(zero.input, 'pubsub_topic'), messageOf(zero)))
    expect(hash).toBe(str(zero.expected, 'message_hash_hex'))
    expect(hash).not.toBe(str(omitted.expected, 'message_hash_hex'))
  })

  it('the js-waku reading reproduces the js-waku vector, so the readings are the only difference', () => {
    const preimage = jsWakuStylePreimage(str(omitted.input, 'pubsub_topic'), messageOf(omitted))
    expect(bytesToHex(preimage)).toBe(omitted.derived_preimage_hex)
    expect(bytesToHex(sha256(preimage))).toBe(str(omitted.expected, 'message_hash_hex'))
  })

  it('an explicit timestamp of 0 also hashes 8 zero bytes', () => {
    const message = messageOf(zero)
    expect(computeMessageHash('/t', { ...message, timestamp: 0n })).toEqual(computeMessageHash('/t', message))
  })
})

describe('2. autosharding reduces the last 8 hash bytes, not the whole hash as the spec text says', () => {
  const nonPowerOfTwo = shardingCases.filter((vector) => vector.id.startsWith('derived-nonpow2-'))

  it('the vector file has non-power-of-two cases', () => {
    expect(nonPowerOfTwo.length).toBeGreaterThan(0)
  })

  it.each(nonPowerOfTwo.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const count = num(vector.input, 'num_shards_in_network')
    const shard = contentTopicToShard(str(vector.input, 'content_topic'), count)
    const wholeHashReading = Number(BigInt(`0x${str(vector.derived, 'sha256_hex')}`) % BigInt(count))
    expect(shard).toBe(num(vector.expected, 'shard'))
    expect(shard).not.toBe(wholeHashReading)
  })
})

describe('3. the relay message id is SHA-256 of the serialized message, not the message hash', () => {
  it('differs from computeMessageHash for the same message', () => {
    const message = messageOf(caseById(hashCases, 'nwaku-meta-12B'))
    const bytes = encodeWakuMessage(message)
    expect(relayMessageId(bytes)).toEqual(sha256(bytes))
    expect(relayMessageId(bytes)).not.toEqual(computeMessageHash('/waku/2/rs/0/0', message))
  })

  it('matches the status-payloads.json gossipsub id', () => {
    const vector = caseById(loadCases('status-payloads.json'), 'waku-message-pb-0')
    const id = relayMessageId(hexToBytes(str(vector.expected, 'pb_hex')))
    expect(bytesToHex(id)).toBe(str(vector.expected, 'gossipsub_message_id_hex'))
  })
})

describe('4. meta longer than 64 bytes is a decode error (nwaku codec.nim), though the proto allows it', () => {
  it('64 bytes decode, 65 do not', () => {
    const meta64 = `5a40${'00'.repeat(64)}`
    expect(decodeWakuMessage(hexToBytes(meta64)).meta).toHaveLength(64)
    expect(() => decodeWakuMessage(hexToBytes(`5a41${'00'.repeat(65)}`))).toThrow(DecodeError)
  })
})
