import { DecodeError, LimitExceededError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { snappyCompress, snappyDecodedLength, snappyDecompress } from '../src/snappy.ts'
import { hex, unhex } from './vectors.ts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('snappy block format, hand-written vectors', () => {
  it('decodes literal-only blocks', () => {
    expect(snappyDecompress(unhex('00'))).toEqual(new Uint8Array(0))
    expect(snappyDecompress(unhex('010061'))).toEqual(text('a'))
    // 61 bytes: tag 60 << 2 (0xf0) with a 1-byte length-1 (0x3c)
    const long = new Uint8Array(61).fill(0x42)
    expect(snappyDecompress(unhex(`3df03c${hex(long)}`))).toEqual(long)
  })

  it('decodes copies with 1-, 2- and 4-byte offsets, including overlapping ones', () => {
    expect(snappyDecompress(unhex('0a00611501'))).toEqual(text('aaaaaaaaaa')) // copy1 len 9 off 1
    expect(snappyDecompress(unhex('080c616263640e0400'))).toEqual(text('abcdabcd')) // copy2 len 4 off 4
    expect(snappyDecompress(unhex('080c616263640f04000000'))).toEqual(text('abcdabcd')) // copy4
  })

  it('compresses to the expected bytes for simple inputs', () => {
    expect(hex(snappyCompress(new Uint8Array(0)))).toBe('00')
    expect(hex(snappyCompress(text('a')))).toBe('010061')
    expect(hex(snappyCompress(text('aaaaaaaaaa')))).toBe('0a00611501')
  })

  it('shrinks repetitive data', () => {
    const data = text('status '.repeat(2000))
    const packed = snappyCompress(data)
    expect(packed.length).toBeLessThan(data.length / 10)
    expect(snappyDecompress(packed)).toEqual(data)
  })

  it('rejects malformed blocks with DecodeError', () => {
    for (const bad of [
      '',
      '80',
      '8080808080',
      '0100',
      '0a006115',
      '0a00611500',
      '0a00611502',
      '02006105',
      '02006161',
      '0300610001',
    ])
      expect(() => snappyDecompress(unhex(bad)), bad).toThrow(DecodeError)
  })

  it('checks the declared length against the cap before allocating', () => {
    expect(snappyDecodedLength(unhex('80808008')).length).toBe(2 ** 24)
    expect(() => snappyDecompress(unhex('80808008'))).toThrow(LimitExceededError)
    expect(() => snappyDecompress(unhex('ffffffff0f'))).toThrow(LimitExceededError)
    expect(() => snappyDecompress(unhex('0b00611501'), { maxLength: 10 })).toThrow(LimitExceededError)
  })

  it('round-trips arbitrary data (fast-check)', () => {
    const pieces = fc.array(
      fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(text('abcd'), text('x'.repeat(100)))),
      {
        maxLength: 20,
      },
    )
    fc.assert(
      fc.property(pieces, (parts) => {
        const data = Uint8Array.from(parts.flatMap((p) => [...p]))
        expect(snappyDecompress(snappyCompress(data))).toEqual(data)
      }),
    )
  })

  it('throws only DecodeError or LimitExceededError on garbage (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          snappyDecompress(bytes, { maxLength: 1 << 16 })
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof LimitExceededError).toBe(true)
        }
      }),
    )
  })
})
