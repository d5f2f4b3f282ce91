import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  asBytes,
  asList,
  decode,
  decodePrefix,
  encode,
  fromUint,
  RlpDecodeError,
  type RlpInput,
  type RlpValue,
  toBigInt,
  toNumber,
} from '../src/index.ts'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

const lorem = 'Lorem ipsum dolor sit amet, consectetur adipisicing elit'

// Known answers from the Ethereum wiki RLP page and go-ethereum rlp/encode_test.go.
const knownAnswers: Array<[string, RlpInput, string]> = [
  ['empty string', new Uint8Array(0), '80'],
  ['"dog"', text('dog'), '83646f67'],
  ['["cat", "dog"]', [text('cat'), text('dog')], 'c88363617483646f67'],
  ['empty list', [], 'c0'],
  ['integer 0', 0, '80'],
  ['byte 0x00', Uint8Array.of(0), '00'],
  ['byte 0x0f', Uint8Array.of(0x0f), '0f'],
  ['byte 0x80', Uint8Array.of(0x80), '8180'],
  ['integer 127', 127, '7f'],
  ['integer 128', 128, '8180'],
  ['integer 1024', 1024, '820400'],
  ['integer 0xffffff', 0xffffff, '83ffffff'],
  ['bigint 2^64', 2n ** 64n, '89010000000000000000'],
  ['set-theoretic three', [[], [[]], [[], [[]]]], 'c7c0c1c0c3c0c1c0'],
  ['56-byte string (long form)', text(lorem), `b838${hex(text(lorem))}`],
  [
    'list of 56 bytes payload (long form)',
    [text(lorem.slice(0, 55))],
    `f838b7${hex(text(lorem.slice(0, 55)))}`,
  ],
]

describe('encode', () => {
  for (const [name, input, expected] of knownAnswers) {
    it(`encodes ${name}`, () => {
      expect(hex(encode(input))).toBe(expected)
    })
  }

  it('encodes a 1024-byte string with a two-byte length', () => {
    const out = encode(new Uint8Array(1024).fill(7))
    expect(hex(out.subarray(0, 3))).toBe('b90400')
    expect(out.length).toBe(1027)
  })

  it('rejects strings, negatives, fractions and unsafe numbers with InvalidParametersError', () => {
    for (const bad of [
      -1,
      1.5,
      2 ** 53,
      Number.NaN,
      -1n,
      'dog' as unknown as RlpInput,
      null as unknown as RlpInput,
    ])
      expect(() => encode(bad)).toThrow(InvalidParametersError)
  })

  it('writes minimal big-endian integers with fromUint', () => {
    expect(hex(fromUint(0))).toBe('')
    expect(hex(fromUint(1))).toBe('01')
    expect(hex(fromUint(0x0100))).toBe('0100')
    expect(hex(fromUint(2n ** 64n - 1n))).toBe('ffffffffffffffff')
    expect(hex(fromUint(Number.MAX_SAFE_INTEGER))).toBe('1fffffffffffff')
  })
})

describe('decode', () => {
  for (const [name, input, encoded] of knownAnswers) {
    it(`decodes ${name}`, () => {
      expect(decode(unhex(encoded))).toEqual(normalise(input))
    })
  }

  it('decodes to byte views and nested lists', () => {
    expect(decode(unhex('c88363617483646f67'))).toEqual([text('cat'), text('dog')])
    expect(decode(unhex('c7c0c1c0c3c0c1c0'))).toEqual([[], [[]], [[], [[]]]])
  })

  // go-ethereum rlp/decode_test.go: the canonical-encoding and size errors.
  const rejected: Array<[string, string, string]> = [
    ['8105', 'non-canonical-size', 'single byte below 0x80 in a one-byte string'],
    ['8100', 'non-canonical-size', 'zero byte in a one-byte string'],
    ['b800', 'non-canonical-size', 'long string form for length 0'],
    [`b837${'00'.repeat(55)}`, 'non-canonical-size', 'long string form for length 55'],
    [`b90037${'00'.repeat(55)}`, 'non-canonical-size', 'length with a leading zero'],
    ['f800', 'non-canonical-size', 'long list form for length 0'],
    ['', 'truncated', 'empty input'],
    ['83646f', 'truncated', 'string shorter than its length'],
    ['b9', 'truncated', 'missing length bytes'],
    ['c3836f', 'truncated', 'list item running past the list'],
    ['c28363617483', 'truncated', 'string running past its list'],
    ['bf0100000000000000', 'truncated', '8-byte length past the input'],
    ['83646f6700', 'trailing-bytes', 'a byte after the item'],
    ['c0c0', 'trailing-bytes', 'two items'],
  ]
  for (const [input, reason, name] of rejected) {
    it(`rejects ${name} (${reason})`, () => {
      const error = catchError(() => decode(unhex(input)))
      expect(error).toBeInstanceOf(DecodeError)
      expect(error).toBeInstanceOf(RlpDecodeError)
      expect((error as RlpDecodeError).reason).toBe(reason)
      expect((error as RlpDecodeError).code).toBe('ERR_DECODE')
    })
  }

  it('limits nesting depth', () => {
    const nested = (depth: number): RlpInput => (depth === 0 ? [] : [nested(depth - 1)])
    expect(() => decode(encode(nested(63)))).not.toThrow()
    expect(() => decode(encode(nested(64)))).toThrow(RlpDecodeError)
    expect(() => decode(encode(nested(5)), { maxDepth: 5 })).toThrow(/deeper than 5/)
    expect(decode(encode(nested(1000)), { maxDepth: 1024 })).toHaveLength(1)
    expect(() => decode(encode([]), { maxDepth: 1025 })).toThrow(InvalidParametersError)
  })

  it('decodePrefix returns the bytes after the item', () => {
    const { value, rest } = decodePrefix(unhex('83646f67deadbeef'))
    expect(value).toEqual(text('dog'))
    expect(hex(rest)).toBe('deadbeef')
    expect(() => decodePrefix(unhex('8105ff'))).toThrow(RlpDecodeError)
  })
})

describe('value helpers', () => {
  it('reads canonical integers', () => {
    expect(toNumber(decode(unhex('80')))).toBe(0)
    expect(toNumber(decode(unhex('820400')))).toBe(1024)
    expect(toBigInt(decode(unhex('89010000000000000000')))).toBe(2n ** 64n)
    expect(toNumber(unhex('1fffffffffffff'))).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('rejects leading zeros, oversize integers and lists like go-ethereum', () => {
    expect(reasonOf(() => toNumber(unhex('0001')))).toBe('non-canonical-integer')
    expect(reasonOf(() => toBigInt(unhex('00')))).toBe('non-canonical-integer')
    expect(reasonOf(() => toNumber(unhex('010203'), 2))).toBe('integer-too-large')
    expect(reasonOf(() => toNumber(unhex('20000000000000')))).toBe('integer-too-large')
    expect(reasonOf(() => toNumber(unhex('0100000000000000'), 8))).toBe('integer-too-large')
    expect(reasonOf(() => toBigInt([]))).toBe('expected-bytes')
  })

  it('asBytes and asList check the kind', () => {
    expect(asBytes(unhex('01'))).toEqual(unhex('01'))
    expect(asList([])).toEqual([])
    expect(reasonOf(() => asBytes([], 'topic'))).toBe('expected-bytes')
    expect(reasonOf(() => asList(unhex('01')))).toBe('expected-list')
    expect(reasonOf(() => asList(undefined, 'payload'))).toBe('expected-list')
    expect(() => asList(unhex('01'), 'payload')).toThrow(/payload must be a list/)
  })
})

const rlpInput: fc.Arbitrary<RlpInput> = fc.letrec<{ item: RlpInput }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 80 }),
    fc.nat(),
    fc.bigInt({ min: 0n, max: 2n ** 200n }),
    fc.array(tie('item'), { maxLength: 5 }),
  ),
})).item

/** What decode returns for an input: integers come back as their minimal bytes. */
function normalise(input: RlpInput): RlpValue {
  if (input instanceof Uint8Array) return input
  if (typeof input === 'number' || typeof input === 'bigint') return fromUint(input)
  return input.map(normalise)
}

describe('properties', () => {
  it('decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(rlpInput, (input) => {
        expect(decode(encode(input))).toEqual(normalise(input))
      }),
    )
  })

  it('random bytes only ever fail with RlpDecodeError, and what decodes re-encodes to the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let value: RlpValue
        try {
          value = decode(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(RlpDecodeError)
          return
        }
        expect(hex(encode(value))).toBe(hex(bytes))
      }),
      { numRuns: 3000 },
    )
  })

  it('mutated encodings only ever fail with RlpDecodeError, and what decodes is canonical', () => {
    fc.assert(
      fc.property(rlpInput, fc.nat(), fc.integer({ min: 0, max: 255 }), (input, at, byte) => {
        const bytes = encode(input).slice()
        bytes[at % bytes.length] = byte
        try {
          expect(hex(encode(decode(bytes)))).toBe(hex(bytes))
        } catch (error) {
          expect(error).toBeInstanceOf(RlpDecodeError)
        }
      }),
    )
  })

  it('integers round-trip through fromUint and toBigInt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (value) => {
        expect(toBigInt(fromUint(value))).toBe(value)
      }),
    )
  })
})

function catchError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

function reasonOf(run: () => unknown): string {
  const error = catchError(run)
  expect(error).toBeInstanceOf(RlpDecodeError)
  return (error as RlpDecodeError).reason
}
