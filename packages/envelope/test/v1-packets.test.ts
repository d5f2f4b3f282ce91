/** Whisper v6 and Waku v1 packet payloads: status forms, pow/bloom packets, options rules. */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import {
  bloomMatches,
  decodeBloomFilter,
  decodeMessageResponse,
  decodePowRequirement,
  decodeWakuStatus,
  decodeWhisperStatus,
  encodeBloomFilter,
  encodeWakuStatus,
  encodeWhisperStatus,
  FULL_BLOOM,
  isFullBloom,
  MAX_TOPIC_INTEREST,
  mergeBlooms,
  peerInterest,
  powToBits,
  topicToBloom,
  withWakuDefaults,
} from '@parley/envelope'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'

const bloom = topicToBloom(hexToBytes('aabbccdd'))

describe('whisper Status', () => {
  it('go-ethereum four-element form', () => {
    const encoded = encodeWhisperStatus({ pow: 0.2, bloom, isLightNode: false })
    expect(encoded).toEqual(encode([6, powToBits(0.2), bloom, 0]))
    expect(decodeWhisperStatus(encoded)).toEqual({ pow: 0.2, bloom, isLightNode: false })
  })

  it('status-im/whisper five-element form', () => {
    const status = { pow: 0.002, bloom, isLightNode: true, confirmationsEnabled: true }
    const encoded = encodeWhisperStatus(status)
    expect(encoded).toEqual(encode([6, powToBits(0.002), bloom, 1, 1]))
    expect(decodeWhisperStatus(encoded)).toEqual(status)
  })

  it('an empty bloom means none; only the version is required; later extra elements are ignored', () => {
    expect(decodeWhisperStatus(encode([6, powToBits(1), new Uint8Array(0), 0]))).toEqual({
      pow: 1,
      isLightNode: false,
    })
    expect(decodeWhisperStatus(encode([6]))).toEqual({})
    expect(decodeWhisperStatus(encode([6, 0, bloom, 0, 0, [1, 2, 3]]))).toEqual({
      pow: 0,
      bloom,
      isLightNode: false,
      confirmationsEnabled: false,
    })
  })

  it('rejects another version, a 63-byte bloom, a NaN pow and a bool that is not 0 or 1', () => {
    expect(() => decodeWhisperStatus(encode([5, 0, bloom, 0]))).toThrow(DecodeError)
    expect(() => decodeWhisperStatus(encode([6, 0, bloom.subarray(1), 0]))).toThrow(DecodeError)
    expect(() => decodeWhisperStatus(encode([6, 0x7ff8_0000_0000_0000n, bloom, 0]))).toThrow(DecodeError)
    expect(() => decodeWhisperStatus(encode([6, 0, bloom, 2]))).toThrow(DecodeError)
    expect(() => decodeWhisperStatus(encode([]))).toThrow(DecodeError)
  })

  it('will not encode a bad bloom or pow', () => {
    expect(() => encodeWhisperStatus({ bloom: new Uint8Array(10) })).toThrow(InvalidParametersError)
    expect(() => encodeWhisperStatus({ pow: -1 })).toThrow(InvalidParametersError)
  })
})

describe('whisper PoW requirement and bloom filter packets', () => {
  it('rejects negative and infinite pow bit patterns', () => {
    expect(() => decodePowRequirement(encode(powToBits(0) | (1n << 63n)))).not.toThrow() // -0 is not < 0
    expect(() => decodePowRequirement(encode(0xbff0_0000_0000_0000n))).toThrow(DecodeError) // -1
    expect(() => decodePowRequirement(encode(0x7ff0_0000_0000_0000n))).toThrow(DecodeError) // +Inf
    expect(() => decodePowRequirement(encode(2n ** 64n))).toThrow(DecodeError)
  })

  it('bloom filter packet is exactly 64 bytes', () => {
    expect(decodeBloomFilter(encodeBloomFilter(bloom))).toEqual(bloom)
    expect(() => decodeBloomFilter(encode(new Uint8Array(0)))).toThrow(DecodeError)
    expect(() => encodeBloomFilter(new Uint8Array(63))).toThrow(InvalidParametersError)
  })
})

describe('message response', () => {
  const hash = new Uint8Array(32).fill(7)
  it('rejects another version and extra fields (go structs have no tail)', () => {
    expect(() => decodeMessageResponse(encode([2, [hash, []]]))).toThrow(DecodeError)
    expect(() => decodeMessageResponse(encode([1, [hash, [], 0]]))).toThrow(DecodeError)
    expect(() => decodeMessageResponse(encode([1, [hash, [[hash, 21, new Uint8Array(0), 0]]]]))).toThrow(
      DecodeError,
    )
    expect(() => decodeMessageResponse(encode([1, [hash.subarray(1), []]]))).toThrow(DecodeError)
  })
  it('accepts any error code (21/22 status-go, 1 in 6/WAKU1, 36/37 status-im/whisper)', () => {
    for (const code of [1, 21, 22, 34, 35, 36, 37, 9999]) {
      const decoded = decodeMessageResponse(encode([1, [hash, [[hash, code, new Uint8Array(0)]]]]))
      expect(decoded.errors[0]?.code).toBe(code)
    }
  })
})

describe('waku Status options', () => {
  it('ignores unknown keys and keeps the last value of a repeated key', () => {
    const payload = encode([
      [9, [1, 2]],
      [2, 1],
      [2, 0],
      [1000n, bloom],
    ])
    expect(decodeWakuStatus(payload)).toEqual({ lightNode: false })
  })

  it('has no version element: [0, options] (waku/0) is not a list of pairs', () => {
    expect(() => decodeWakuStatus(encode([0, [[2, 1]]]))).toThrow(DecodeError)
  })

  it('pairs are exactly [key, value]', () => {
    expect(() => decodeWakuStatus(encode([[2, 1, 0]]))).toThrow(DecodeError)
    expect(() => decodeWakuStatus(encode([[2]]))).toThrow(DecodeError)
  })

  it('topic interest: at most 10 000 topics of 4 bytes', () => {
    const topics = Array.from({ length: MAX_TOPIC_INTEREST }, (_, i) => Uint8Array.of(0, 0, i >> 8, i & 0xff))
    expect(decodeWakuStatus(encodeWakuStatus({ topicInterest: topics })).topicInterest).toHaveLength(
      MAX_TOPIC_INTEREST,
    )
    const tooMany = encode([[5, [...topics, new Uint8Array(4)]]])
    expect(() => decodeWakuStatus(tooMany)).toThrow(DecodeError)
    expect(() => encodeWakuStatus({ topicInterest: [...topics, new Uint8Array(4)] })).toThrow(
      InvalidParametersError,
    )
    expect(() => decodeWakuStatus(encode([[5, [new Uint8Array(3)]]]))).toThrow(DecodeError)
  })

  it('empty options encode as an empty list; defaults fill what is missing', () => {
    expect(bytesToHex(encodeWakuStatus({}))).toBe('c0')
    const filled = withWakuDefaults(decodeWakuStatus(hexToBytes('c0')))
    expect(filled.pow).toBe(0.001)
    expect(isFullBloom(filled.bloom)).toBe(true)
    expect(filled.lightNode).toBe(false)
    expect(filled.confirmationsEnabled).toBe(false)
    expect(filled.rateLimits).toEqual({ ip: 0n, peerId: 0n, topic: 0n })
    expect(filled.topicInterest).toBeUndefined()
  })

  it('topic interest takes precedence over bloom', () => {
    const topics = [Uint8Array.of(1, 2, 3, 4)]
    expect(peerInterest({ bloom, topicInterest: topics })).toEqual({ kind: 'topics', topics })
    expect(peerInterest({ bloom })).toEqual({ kind: 'bloom', bloom })
    expect(peerInterest({})).toEqual({ kind: 'bloom', bloom: FULL_BLOOM })
  })
})

describe('bloom helpers', () => {
  it('a filter matches the samples it contains; full matches everything; no filter matches', () => {
    const a = topicToBloom(hexToBytes('01020304'))
    const b = topicToBloom(hexToBytes('aabbccdd'))
    const both = mergeBlooms(a, b)
    expect(bloomMatches(both, a)).toBe(true)
    expect(bloomMatches(both, b)).toBe(true)
    expect(bloomMatches(a, b)).toBe(false)
    expect(bloomMatches(FULL_BLOOM, b)).toBe(true)
    expect(bloomMatches(undefined, b)).toBe(true)
    expect(isFullBloom(both)).toBe(false)
  })
})
