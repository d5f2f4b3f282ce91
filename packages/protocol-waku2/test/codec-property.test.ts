/** Property tests: roundtrip, garbage only ever fails with DecodeError, unknown fields are skipped. */
import { DecodeError } from '@parley/interfaces'
import {
  decodeWakuMessage,
  encodeWakuMessage,
  MAX_META_LENGTH,
  type WakuMessage,
} from '@parley/protocol-waku2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const KNOWN_FIELDS = new Set([1, 2, 3, 10, 11, 21, 31])

const wakuMessage: fc.Arbitrary<WakuMessage> = fc.record(
  {
    payload: fc.uint8Array({ maxLength: 300 }),
    contentTopic: fc.string({ unit: 'grapheme', maxLength: 40 }),
    version: fc.integer({ min: 0, max: 0xffff_ffff }),
    timestamp: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    meta: fc.uint8Array({ maxLength: MAX_META_LENGTH }),
    rateLimitProof: fc.uint8Array({ maxLength: 100 }),
    ephemeral: fc.boolean(),
  },
  { requiredKeys: ['payload', 'contentTopic'] },
)

function varint(value: bigint): number[] {
  const out: number[] = []
  let rest = value
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80)
    rest >>= 7n
  }
  out.push(Number(rest))
  return out
}

/** A well-formed field with a number this codec does not know, of any non-group wire type. */
const unknownField: fc.Arbitrary<number[]> = fc
  .tuple(
    fc.integer({ min: 1, max: 2 ** 29 - 1 }).filter((field) => !KNOWN_FIELDS.has(field)),
    fc.constantFrom(0, 1, 2, 5),
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.uint8Array({ maxLength: 20 }),
  )
  .map(([field, wireType, number, bytes]) => {
    const tag = varint(BigInt(field * 8 + wireType))
    if (wireType === 0) return [...tag, ...varint(number)]
    if (wireType === 1)
      return [...tag, ...bytes.subarray(0, 8), ...new Uint8Array(8 - Math.min(8, bytes.length))]
    if (wireType === 5)
      return [...tag, ...bytes.subarray(0, 4), ...new Uint8Array(4 - Math.min(4, bytes.length))]
    return [...tag, ...varint(BigInt(bytes.length)), ...bytes]
  })

/** Decodes; returns undefined after checking that a failure is a DecodeError and nothing else. */
function decodeOrDecodeError(bytes: Uint8Array): WakuMessage | undefined {
  try {
    return decodeWakuMessage(bytes)
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error
    return undefined
  }
}

describe('WakuMessage codec properties', () => {
  it('decode(encode(m)) equals m', () => {
    fc.assert(
      fc.property(wakuMessage, (message) => {
        expect(decodeWakuMessage(encodeWakuMessage(message))).toEqual(message)
      }),
    )
  })

  it('encode is canonical: encode(decode(encode(m))) equals encode(m)', () => {
    fc.assert(
      fc.property(wakuMessage, (message) => {
        const bytes = encodeWakuMessage(message)
        expect(encodeWakuMessage(decodeWakuMessage(bytes))).toEqual(bytes)
      }),
    )
  })

  it('unknown fields anywhere are skipped', () => {
    fc.assert(
      fc.property(
        wakuMessage,
        fc.array(unknownField, { maxLength: 4 }),
        fc.array(unknownField, { maxLength: 4 }),
        (message, before, after) => {
          const bytes = Uint8Array.from([...before.flat(), ...encodeWakuMessage(message), ...after.flat()])
          expect(decodeWakuMessage(bytes)).toEqual(message)
        },
      ),
    )
  })

  it('random bytes fail only with DecodeError, and what decodes re-encodes to an equal message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const decoded = decodeOrDecodeError(bytes)
        if (decoded !== undefined) expect(decodeWakuMessage(encodeWakuMessage(decoded))).toEqual(decoded)
      }),
      { numRuns: 2000 },
    )
  })

  it('truncated or corrupted valid messages fail only with DecodeError', () => {
    fc.assert(
      fc.property(
        wakuMessage,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (message, cut, at, value) => {
          const bytes = encodeWakuMessage(message)
          decodeOrDecodeError(bytes.subarray(0, cut % (bytes.length + 1)))
          if (bytes.length === 0) return
          const corrupted = bytes.slice()
          corrupted[at % bytes.length] = value
          decodeOrDecodeError(corrupted)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
