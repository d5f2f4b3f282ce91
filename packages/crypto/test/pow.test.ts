import { readFileSync } from 'node:fs'
import { InvalidParametersError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { computePow, leadingZeroBits, powHash, powPrefix, requiredBits, verifyPow } from '../src/pow/index.ts'
import { encodeBytes, encodeList, encodeUint } from '../src/pow/rlp.ts'

interface PowCase {
  id: string
  input: { expiry: number; ttl: number; topic: string; data: string; nonce: number }
  expected: { pow: number; pow_hash: string }
  derived: { rlp_without_nonce: string; leading_zero_bits: number; envelope_rlp: string }
}

// the shared known-answer collection, /work/shared/vectors
const vectorsUrl = new URL('../../../../shared/vectors/whisper-v6.json', import.meta.url)
const vectors = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as {
  cases: Array<{ id: string }>
}
const powCases = vectors.cases.filter((c) => c.id.startsWith('pow-')) as PowCase[]
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'))

describe('whisper-v6.json PoW vectors', () => {
  it('has the two go-ethereum cases', () => {
    expect(powCases.map((c) => c.id).sort()).toEqual(['pow-nonce-100000', 'pow-nonce-276'])
  })

  for (const c of powCases) {
    const envelope = {
      expiry: c.input.expiry,
      ttl: c.input.ttl,
      topic: bytes(c.input.topic),
      data: bytes(c.input.data),
      nonce: BigInt(c.input.nonce),
    }

    it(`${c.id}: hash and pow match exactly`, () => {
      const prefix = powPrefix(envelope)
      expect(hex(prefix)).toBe(c.derived.rlp_without_nonce)
      const hash = powHash(prefix, envelope.nonce)
      expect(hex(hash)).toBe(c.expected.pow_hash)
      expect(leadingZeroBits(hash)).toBe(c.derived.leading_zero_bits)
      // exact float equality: same operations as go-ethereum, dividing by len(rlp without nonce)
      expect(computePow(envelope)).toBe(c.expected.pow)
      expect(verifyPow(envelope, c.expected.pow)).toBe(true)
      expect(verifyPow(envelope, c.expected.pow * 1.000001)).toBe(false)
    })

    it(`${c.id}: full envelope RLP`, () => {
      const { expiry, ttl, topic, data, nonce } = envelope
      const full = encodeList([
        encodeUint(expiry),
        encodeUint(ttl),
        encodeBytes(topic),
        encodeBytes(data),
        encodeUint(nonce),
      ])
      expect(hex(full)).toBe(c.derived.envelope_rlp)
    })
  }
})

describe('rlp', () => {
  it('encodes minimal integers', () => {
    expect(hex(encodeUint(0))).toBe('80')
    expect(hex(encodeUint(1))).toBe('01')
    expect(hex(encodeUint(0x7f))).toBe('7f')
    expect(hex(encodeUint(0x80))).toBe('8180')
    expect(hex(encodeUint(0xffffffff))).toBe('84ffffffff')
    expect(hex(encodeUint((1n << 64n) - 1n))).toBe('88ffffffffffffffff')
    expect(() => encodeUint(-1)).toThrow(RangeError)
  })

  it('encodes short and long strings and lists', () => {
    expect(hex(encodeBytes(new Uint8Array()))).toBe('80')
    expect(hex(encodeBytes(Uint8Array.of(0x80)))).toBe('8180')
    expect(hex(encodeBytes(new Uint8Array(55)))).toBe(`b7${'00'.repeat(55)}`)
    expect(hex(encodeBytes(new Uint8Array(56)))).toBe(`b838${'00'.repeat(56)}`)
    expect(hex(encodeBytes(new Uint8Array(1024)).subarray(0, 3))).toBe('b90400')
    expect(hex(encodeBytes(new Uint8Array(0x10000)).subarray(0, 4))).toBe('ba010000')
    expect(hex(encodeList([]))).toBe('c0')
    expect(hex(encodeList([new Uint8Array(56)]).subarray(0, 2))).toBe('f838')
  })
})

describe('pow formulas', () => {
  it('counts leading zero bits big-endian', () => {
    expect(leadingZeroBits(Uint8Array.of(0x80, 0))).toBe(0)
    expect(leadingZeroBits(Uint8Array.of(0x01, 0xff))).toBe(7)
    expect(leadingZeroBits(Uint8Array.of(0, 0x10))).toBe(11)
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256)
  })

  it('requiredBits is ceil(log2(pow * size * ttl)), at least 1', () => {
    // Status: PoW 0.002, TTL 10, 1 KiB of data -> size 1044, 20.88 -> 5 bits
    expect(requiredBits(0.002, 20 + 1024, 10)).toBe(5)
    expect(requiredBits(1, 16, 2)).toBe(5) // exactly 32 = 2^5
    expect(requiredBits(1, 33, 1)).toBe(6)
    expect(requiredBits(0.000002, 1044, 10)).toBe(1)
    expect(requiredBits(0, 100, 10)).toBe(1)
    for (let b = 2; b < 200; b++) expect(requiredBits(2 ** b / 24 / 7, 24, 7)).toBe(b)
  })

  it('rejects bad parameters with InvalidParametersError', () => {
    const envelope = { expiry: 0, ttl: 1, topic: new Uint8Array(4), data: new Uint8Array(), nonce: 0n }
    for (const pow of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(() => requiredBits(pow, 24, 1)).toThrow(InvalidParametersError)
    }
    expect(() => powPrefix({ ...envelope, ttl: 0 })).toThrow(InvalidParametersError)
    expect(() => powPrefix({ ...envelope, ttl: 2 ** 32 })).toThrow(InvalidParametersError)
    expect(() => powPrefix({ ...envelope, expiry: -1 })).toThrow(InvalidParametersError)
    expect(() => powPrefix({ ...envelope, topic: new Uint8Array(3) })).toThrow(InvalidParametersError)
    expect(() => computePow({ ...envelope, nonce: 1n << 64n })).toThrow(InvalidParametersError)
  })
})
