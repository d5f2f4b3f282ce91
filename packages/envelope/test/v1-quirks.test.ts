/** Where the deployed nodes and the Whisper spec (EIP-627) differ; we follow go-ethereum/status-go. */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import { decodeEnvelope, encodeEnvelope, topicToBloom } from '@parley/envelope'
import { encode, RlpDecodeError } from '@parley/rlp'
import { caseById, hex, loadVectors, str } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const whisper = loadVectors('whisper-v6.json')

/** EIP-627's projection: OR each of the three bits in. Written here only to show the difference. */
function eip627Bloom(topic: Uint8Array): Uint8Array {
  const bloom = new Uint8Array(64)
  for (let i = 0; i < 3; i++) {
    const index = topic[i]! + ((topic[3]! & (1 << i)) !== 0 ? 256 : 0)
    bloom[index >> 3]! |= 1 << (index & 7)
  }
  return bloom
}

describe('bloom: go-ethereum assigns, EIP-627 ORs', () => {
  it('topic 00010000 sets bits 0 and 1 of byte 0; go-ethereum keeps only the later one (01, not 03)', () => {
    const vector = caseById(whisper, 'bloom-geth-algorithm-00010000')
    const topic = hex(vector.input, 'topic')
    // go-ethereum TopicToBloom: b[byte] = 1 << bit, so index 0 (third byte) overwrites index 1
    expect(bytesToHex(topicToBloom(topic))).toBe(str(vector.derived, 'bloom_go_ethereum_status_go'))
    expect(bytesToHex(eip627Bloom(topic))).toBe(str(vector.derived, 'bloom_eip627_or_semantics'))
    expect(topicToBloom(topic)[0]).toBe(0x01)
    expect(eip627Bloom(topic)[0]).toBe(0x03)
  })

  it('when the three indexes fall in different bytes the variants agree', () => {
    const topic = hexToBytes('aabbccdd')
    expect(topicToBloom(topic)).toEqual(eip627Bloom(topic))
  })
})

describe('envelope integers: minimal RLP, not fixed width', () => {
  it('expiry 0 is 80 and nonce 276 is 820114, not 4- and 8-byte fields as EIP-627 prose suggests', () => {
    const envelope = {
      expiry: 0,
      ttl: 1,
      topic: new Uint8Array(4),
      data: hexToBytes('deadbeef'),
      nonce: 276n,
    }
    expect(bytesToHex(encodeEnvelope(envelope))).toBe('cf8001840000000084deadbeef820114')
  })

  it('the fixed-width form a spec reader might send is rejected (non-canonical integer)', () => {
    const fixedWidth = encode([
      hexToBytes('00000000'),
      hexToBytes('00000001'),
      new Uint8Array(4),
      hexToBytes('deadbeef'),
      hexToBytes('0000000000000114'),
    ])
    expect(() => decodeEnvelope(fixedWidth)).toThrow(RlpDecodeError)
    expect(() => decodeEnvelope(fixedWidth)).toThrow(
      expect.objectContaining({ reason: 'non-canonical-integer' }),
    )
  })
})
