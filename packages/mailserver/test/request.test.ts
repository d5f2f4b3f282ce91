/** Request payload layouts, status-go's order of attempts, defaults and limits. */
import { fullBloom, topicToBloom } from '@parley/envelope'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'
import {
  decodeRequestPayload,
  encodeCursor,
  encodeRequestPayload,
  type MailDecodeError,
  type MailRequest,
  type RequestLayout,
} from '../src/index.ts'

const topic = Uint8Array.of(0xcd, 0x42, 0x37, 0x60)
const cursor = encodeCursor({ timestamp: 1_600_000_000, hash: new Uint8Array(32).fill(7) })
const base: MailRequest = {
  lower: 1_600_000_000,
  upper: 1_600_003_600,
  bloom: topicToBloom(topic),
  topics: [],
  limit: 500,
  cursor,
  batch: false,
}

function reason(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError)
    return (error as MailDecodeError).reason
  }
  throw new Error('expected a DecodeError')
}

describe('request payload layouts', () => {
  const cases: Array<[RequestLayout, Partial<MailRequest>]> = [
    ['2020', { topics: [topic], batch: true }],
    ['2019', { batch: true }],
    ['spec', {}],
    ['waku-mail', { topics: [topic] }],
    ['binary', {}],
  ]
  for (const [layout, extra] of cases) {
    it(`round trips the ${layout} layout`, () => {
      const request = { ...base, ...extra }
      const bytes = encodeRequestPayload(request, { layout })
      expect(decodeRequestPayload(bytes, { now: 0 })).toEqual({ ...request, layout })
    })
  }

  it('writes the field orders byte for byte', () => {
    const r = { ...base, bloom: Uint8Array.of(1), cursor: new Uint8Array(0), lower: 5, upper: 6, limit: 7 }
    expect(encodeRequestPayload({ ...r, topics: [topic], batch: true })).toEqual(
      encode([5, 6, Uint8Array.of(1), [topic], 7, new Uint8Array(0), 1]),
    )
    expect(encodeRequestPayload(r, { layout: '2019' })).toEqual(
      encode([5, 6, Uint8Array.of(1), 7, new Uint8Array(0), 0]),
    )
    expect(encodeRequestPayload(r, { layout: 'spec' })).toEqual(
      encode([5, 6, Uint8Array.of(1), 7, new Uint8Array(0)]),
    )
    expect(encodeRequestPayload({ ...r, topics: [topic] }, { layout: 'waku-mail' })).toEqual(
      encode([5, 6, Uint8Array.of(1), 7, new Uint8Array(0), [topic]]),
    )
  })

  it('reads the four-element 8/WAKU-MAIL form without a cursor', () => {
    const decoded = decodeRequestPayload(encode([1, 2, Uint8Array.of(9), 3]), { now: 0 })
    expect(decoded).toMatchObject({
      lower: 1,
      upper: 2,
      limit: 3,
      cursor: new Uint8Array(0),
      layout: 'waku-mail',
    })
  })

  it('refuses fields a layout cannot carry', () => {
    expect(() => encodeRequestPayload({ ...base, topics: [topic] }, { layout: 'spec' })).toThrow(
      InvalidParametersError,
    )
    expect(() => encodeRequestPayload({ ...base, batch: true }, { layout: 'binary' })).toThrow(
      InvalidParametersError,
    )
    expect(() => encodeRequestPayload({ ...base, bloom: Uint8Array.of(1) }, { layout: 'binary' })).toThrow(
      InvalidParametersError,
    )
    expect(() => encodeRequestPayload({ ...base, limit: 2 ** 32 })).toThrow(InvalidParametersError)
  })
})

describe('status-go defaults and checks', () => {
  it('upper 0 becomes now + 60 and limit 0 becomes 1000', () => {
    const bytes = encodeRequestPayload({ ...base, lower: 10, upper: 0, limit: 0 })
    expect(decodeRequestPayload(bytes, { now: 1000 })).toMatchObject({ upper: 1060, limit: 1000 })
  })

  it('refuses lower > upper, no bloom and no topics, and a limit over 1000', () => {
    expect(reason(() => decodeRequestPayload(encodeRequestPayload({ ...base, lower: 9, upper: 8 })))).toBe(
      'invalid-range',
    )
    expect(
      reason(() => decodeRequestPayload(encodeRequestPayload({ ...base, bloom: new Uint8Array(0) }))),
    ).toBe('no-bloom-or-topics')
    expect(reason(() => decodeRequestPayload(encodeRequestPayload({ ...base, limit: 1001 })))).toBe(
      'limit-too-large',
    )
    // Topics alone are enough.
    const topicsOnly = { ...base, bloom: new Uint8Array(0), topics: [topic] }
    expect(decodeRequestPayload(encodeRequestPayload(topicsOnly)).topics).toEqual([topic])
  })

  it('a malformed batch flag is not a 2019 request, and not binary either', () => {
    const bytes = encode([1, 2, Uint8Array.of(1), 3, new Uint8Array(0), 2])
    expect(reason(() => decodeRequestPayload(bytes))).toBe('malformed')
  })
})

describe('the binary fallback', () => {
  function binary(lower: number, upper: number, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
    const out = new Uint8Array(8 + tail.length)
    new DataView(out.buffer).setUint32(0, lower)
    new DataView(out.buffer).setUint32(4, upper)
    out.set(tail, 8)
    return out
  }

  it('8 bytes mean a full bloom and the default limit', () => {
    expect(decodeRequestPayload(binary(100, 200), { now: 0 })).toEqual({
      lower: 100,
      upper: 200,
      bloom: fullBloom(),
      topics: [],
      limit: 1000,
      cursor: new Uint8Array(0),
      batch: false,
      layout: 'binary',
    })
  })

  it('a bloom without a limit, and a tail that is not a whole cursor, are read as status-go reads them', () => {
    const bloom = topicToBloom(topic)
    expect(decodeRequestPayload(binary(1, 2, bloom), { now: 0 })).toMatchObject({ bloom, limit: 1000 })
    const withOddTail = binary(1, 2, Uint8Array.from([...bloom, 0, 0, 0, 5, 1, 2, 3]))
    expect(decodeRequestPayload(withOddTail, { now: 0 })).toMatchObject({
      limit: 5,
      cursor: new Uint8Array(0),
    })
  })

  it('accepts a whole 40-byte DB key as the cursor', () => {
    const key = new Uint8Array(40).fill(3)
    const bytes = binary(1, 2, Uint8Array.from([...topicToBloom(topic), 0, 0, 0, 5, ...key]))
    expect(decodeRequestPayload(bytes, { now: 0 }).cursor).toEqual(key)
  })

  it('refuses ranges over 24 h and short blooms', () => {
    expect(reason(() => decodeRequestPayload(binary(0, 24 * 3600 + 1)))).toBe('range-too-big')
    expect(reason(() => decodeRequestPayload(binary(0, 1, new Uint8Array(10))))).toBe('malformed')
    expect(reason(() => decodeRequestPayload(new Uint8Array(7)))).toBe('malformed')
  })
})
