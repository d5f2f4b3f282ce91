import { InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesToHex, concatBytes, equalBytes, hexToBytes, randomBytes, utf8ToBytes } from '../src/index.ts'

describe('hex', () => {
  it('round-trips any bytes, lowercase out, either case and an optional 0x in', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const hex = bytesToHex(bytes)
        expect(hex).toMatch(/^[0-9a-f]*$/)
        expect(hex).toBe(Buffer.from(bytes).toString('hex'))
        expect(hexToBytes(hex)).toEqual(bytes)
        expect(hexToBytes(`0x${hex.toUpperCase()}`)).toEqual(bytes)
      }),
    )
  })

  it('rejects odd lengths and non-hex digits with InvalidParametersError', () => {
    for (const bad of ['abc', '0xzz', 'g0', '0x0', ' 00'])
      expect(() => hexToBytes(bad)).toThrow(InvalidParametersError)
  })
})

describe('bytes', () => {
  it('concatenates in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    )
    expect(concatBytes()).toEqual(new Uint8Array(0))
  })

  it('compares equal and unequal arrays', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), (bytes, at) => {
        expect(equalBytes(bytes, bytes.slice())).toBe(true)
        const other = bytes.slice()
        other[at % other.length]! ^= 0x80
        expect(equalBytes(bytes, other)).toBe(false)
        expect(equalBytes(bytes, bytes.subarray(1))).toBe(false)
      }),
    )
  })

  it('draws random bytes of any length, beyond the 64 KiB getRandomValues limit', () => {
    const big = randomBytes(70_000)
    expect(big.length).toBe(70_000)
    expect(big.subarray(65_536).some((byte) => byte !== 0)).toBe(true)
    expect(bytesToHex(randomBytes(32))).not.toBe(bytesToHex(randomBytes(32)))
    expect(() => randomBytes(-1)).toThrow(InvalidParametersError)
  })

  it('encodes UTF-8', () => {
    expect(bytesToHex(utf8ToBytes('é'))).toBe('c3a9')
  })
})
