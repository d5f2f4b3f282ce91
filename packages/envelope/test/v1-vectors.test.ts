/** Whisper v6 and Waku v1 known answers from /work/shared/vectors (whisper-v6.json, waku-v1.json). */
import { bytesToHex, loadCrypto } from '@parley/crypto'
import {
  batchHash,
  bytesToTopic,
  decodeBatchAck,
  decodeEnvelopes,
  decodeMessageResponse,
  decodePowRequirement,
  decodeWakuStatus,
  encodeBatchAck,
  encodeEnvelope,
  encodeEnvelopes,
  encodeMessageResponse,
  encodePowRequirement,
  encodeWakuStatus,
  envelopeHash,
  envelopePow,
  hexToTopic,
  powToBits,
  topicFromName,
  topicToBloom,
  topicToHex,
} from '@parley/envelope'
import { caseById, casesWithPrefix, hex, loadVectors, num, str } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const whisper = loadVectors('whisper-v6.json')
const waku = loadVectors('waku-v1.json')

describe('whisper-v6.json envelopes', () => {
  for (const id of ['pow-nonce-100000', 'pow-nonce-276']) {
    it(`${id}: RLP, hash and pow`, () => {
      const vector = caseById(whisper, id)
      const envelope = {
        expiry: num(vector.input, 'expiry'),
        ttl: num(vector.input, 'ttl'),
        topic: hex(vector.input, 'topic'),
        data: hex(vector.input, 'data'),
        nonce: BigInt(num(vector.input, 'nonce')),
      }
      expect(bytesToHex(encodeEnvelope(envelope))).toBe(str(vector.derived, 'envelope_rlp'))
      expect(bytesToHex(envelopeHash(envelope))).toBe(str(vector.derived, 'envelope_hash'))
      expect(envelopePow(envelope)).toBe(num(vector.expected, 'pow'))
      const [decoded] = decodeEnvelopes(encodeEnvelopes([envelope]))
      expect(decoded).toEqual(envelope)
    })
  }
})

describe('whisper-v6.json blooms', () => {
  it('bloom-topic-0000ff06 (official)', () => {
    const vector = caseById(whisper, 'bloom-topic-0000ff06')
    expect(bytesToHex(topicToBloom(hex(vector.input, 'topic')))).toBe(str(vector.expected, 'bloom'))
  })
  for (const vector of casesWithPrefix(whisper, 'bloom-geth-algorithm-')) {
    it(`${vector.id}: the go-ethereum (assign) variant`, () => {
      const bloom = topicToBloom(hex(vector.input, 'topic'))
      expect(bytesToHex(bloom)).toBe(str(vector.derived, 'bloom_go_ethereum_status_go'))
    })
  }
})

describe('whisper-v6.json topics', () => {
  for (const vector of casesWithPrefix(whisper, 'bytes-to-topic-')) {
    it(vector.id, () => {
      const data = vector.input?.data === null ? null : hex(vector.input, 'data')
      expect(bytesToHex(bytesToTopic(data))).toBe(str(vector.expected, 'topic'))
    })
  }
  for (const vector of casesWithPrefix(whisper, 'topic-string-')) {
    it(vector.id, () => {
      const topic = hex(vector.input, 'topic')
      expect(topicToHex(topic)).toBe(str(vector.expected, 'text'))
      expect(hexToTopic(str(vector.expected, 'text'))).toEqual(topic)
    })
  }
  it('status-topic-contact-discovery and status-public-chat-topic-test', () => {
    const discovery = caseById(whisper, 'status-topic-contact-discovery')
    expect(bytesToHex(topicFromName(str(discovery.input, 'name_text')))).toBe(
      str(discovery.expected, 'topic'),
    )
    const chat = caseById(whisper, 'status-public-chat-topic-test')
    expect(bytesToHex(topicFromName(str(chat.input, 'name_text')))).toBe(str(chat.derived, 'topic'))
  })
  for (const id of ['status-partitioned-topic-4490', 'status-partitioned-topic-3991']) {
    it(`${id}: partition from the public key, topic from the name`, async () => {
      const vector = caseById(whisper, id)
      const { secp256k1 } = await loadCrypto()
      const publicKey = secp256k1.getPublicKey(hex(vector.input, 'private_key'))
      const x = BigInt(`0x${bytesToHex(publicKey.subarray(1, 33))}`)
      expect(Number(x % 5000n)).toBe(num(vector.expected, 'partition'))
      const name = `contact-discovery-${x % 5000n}`
      expect(name).toBe(str(vector.expected, 'chat_id_text'))
      expect(bytesToHex(topicFromName(name))).toBe(str(vector.derived, 'topic'))
    })
  }
})

describe('waku-v1.json', () => {
  it('status-options-roundtrip-all-fields', () => {
    const vector = caseById(waku, 'status-options-roundtrip-all-fields')
    const input = vector.input!
    const limits = (input.packet_rate_limits as number[]).map(BigInt)
    const options = {
      pow: num(input, 'pow'),
      bloom: topicToBloom(hex(input, 'bloom_of_topic')),
      lightNode: input.light_node === true,
      confirmationsEnabled: input.confirmations_enabled === true,
      rateLimits: { ip: limits[0]!, peerId: limits[1]!, topic: limits[2]! },
      topicInterest: (input.topic_interest as string[]).map((topic) => hexToTopic(topic)),
      bytesRateLimits: { ip: limits[0]!, peerId: limits[1]!, topic: limits[2]! },
    }
    expect(bytesToHex(options.bloom)).toBe(str(vector.derived, 'bloom'))
    expect(powToBits(options.pow).toString(16)).toBe(str(vector.derived, 'pow_bits'))
    const encoded = encodeWakuStatus(options)
    expect(bytesToHex(encoded)).toBe(str(vector.derived, 'status_options_rlp'))
    expect(decodeWakuStatus(encoded)).toEqual(options)
  })
  for (const id of ['pow-requirement-bits-0.2', 'pow-requirement-bits-0.002']) {
    it(id, () => {
      const vector = caseById(waku, id)
      const pow = num(vector.input, 'pow')
      expect(powToBits(pow).toString(16).padStart(16, '0')).toBe(str(vector.derived, 'uint64_hex'))
      expect(bytesToHex(encodePowRequirement(pow))).toBe(str(vector.derived, 'rlp'))
      expect(decodePowRequirement(hex(vector.derived, 'rlp'))).toBe(pow)
    })
  }
  it('messages-batch-ack-and-response', () => {
    const vector = caseById(waku, 'messages-batch-ack-and-response')
    const payload = hex(vector.input, 'messages_payload')
    const [envelope] = decodeEnvelopes(payload)
    expect(bytesToHex(envelopeHash(envelope!))).toBe(str(vector.derived, 'envelope_hash'))
    const hash = batchHash(payload)
    expect(bytesToHex(hash)).toBe(str(vector.derived, 'batch_hash'))
    expect(bytesToHex(encodeBatchAck(hash))).toBe(str(vector.derived, 'batch_ack_payload'))
    expect(decodeBatchAck(hex(vector.derived, 'batch_ack_payload'))).toEqual(hash)

    const none = { hash, errors: [] }
    expect(bytesToHex(encodeMessageResponse(none))).toBe(
      str(vector.derived, 'message_response_payload_no_errors'),
    )
    expect(decodeMessageResponse(hex(vector.derived, 'message_response_payload_no_errors'))).toEqual(none)

    // code 21 is status-go's EnvelopeTimeNotSynced (6/WAKU1 says 1)
    const one = {
      hash,
      errors: [
        {
          hash: envelopeHash(envelope!),
          code: 21,
          description: str(vector.derived, 'error_description_text'),
        },
      ],
    }
    expect(bytesToHex(encodeMessageResponse(one))).toBe(
      str(vector.derived, 'message_response_payload_one_error'),
    )
    expect(decodeMessageResponse(hex(vector.derived, 'message_response_payload_one_error'))).toEqual(one)
  })
})
