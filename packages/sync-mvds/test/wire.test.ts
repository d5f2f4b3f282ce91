import { bytesToHex, hexToBytes } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { caseById, hex, loadVectors, num } from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeMessage,
  decodePayload,
  encodeMessage,
  encodePayload,
  isEmptyPayload,
  type Payload,
  splitPayload,
} from '../src/index.ts'

const cases = loadVectors('mvds.json')

const bytes = fc.uint8Array({ maxLength: 40 })
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
const payloadArb: fc.Arbitrary<Payload> = fc.record({
  acks: fc.array(bytes, { maxLength: 4 }),
  offers: fc.array(bytes, { maxLength: 4 }),
  requests: fc.array(bytes, { maxLength: 4 }),
  messages: fc.array(
    fc.record(
      {
        groupId: bytes,
        timestamp: int64,
        body: bytes,
        metadata: fc.record({ parents: fc.array(bytes, { maxLength: 3 }), ephemeral: fc.boolean() }),
      },
      { requiredKeys: ['groupId', 'timestamp', 'body'] },
    ),
    { maxLength: 4 },
  ),
  groupOffers: fc.array(fc.record({ groupId: bytes, messageIds: fc.array(bytes, { maxLength: 3 }) }), {
    maxLength: 3,
  }),
})

describe('MVDS wire format', () => {
  for (const id of ['mvds-id-0', 'mvds-id-1']) {
    it(`encodes Message like the Go code (${id})`, () => {
      const c = caseById(cases, id)
      const message = {
        groupId: hex(c.input, 'group_id_hex'),
        timestamp: BigInt(num(c.input, 'timestamp')),
        body: hex(c.input, 'body_hex'),
      }
      const expected = hex(c.expected, 'message_pb_hex')
      expect(bytesToHex(encodeMessage(message))).toBe(bytesToHex(expected))
      expect(decodeMessage(expected)).toEqual(message)
    })
  }

  it('uses the deployed field numbers 5001-5005 and 6001-6003', () => {
    const encoded = encodePayload({
      acks: [Uint8Array.of(1)],
      offers: [Uint8Array.of(2)],
      requests: [Uint8Array.of(3)],
      messages: [{ groupId: Uint8Array.of(4), timestamp: 5n, body: Uint8Array.of(6) }],
      groupOffers: [{ groupId: Uint8Array.of(7), messageIds: [Uint8Array.of(8)] }],
    })
    // tag = field << 3 | 2 as a varint: 5001 → ca b8 02 … 5005 → ea b8 02; 6001 → 8a f7 02
    expect(bytesToHex(encoded)).toBe(
      'cab8020101d2b8020102dab8020103e2b8020e8af7020104' + '90f702059af7020106' + 'eab802060a0107120108',
    )
  })

  it('carries 4/MVDS-META as Message field 6004 {parents = 1, ephemeral = 2}', () => {
    const message = {
      groupId: Uint8Array.of(1),
      timestamp: 1n,
      body: Uint8Array.of(1),
      metadata: { parents: [Uint8Array.of(0xaa)], ephemeral: true },
    }
    // 6004 << 3 | 2 = a2 f7 02; Metadata: 0a 01 aa (parents), 10 01 (ephemeral)
    expect(bytesToHex(encodeMessage(message))).toBe('8af702010190f702019af7020101' + 'a2f702050a01aa1001')
    expect(decodeMessage(encodeMessage(message))).toEqual(message)
    // A status-go message has no metadata and decodes without it.
    expect(decodeMessage(hexToBytes('8af702010190f702019af7020101')).metadata).toBeUndefined()
  })

  it('round-trips a large int64 timestamp (protobufjs bigint trap)', () => {
    for (const timestamp of [2n ** 62n + 12345n, 2n ** 63n - 1n, -(2n ** 63n), -1n, 1_700_000_000n]) {
      const message = { groupId: Uint8Array.of(1), timestamp, body: Uint8Array.of(2) }
      expect(decodeMessage(encodeMessage(message)).timestamp).toBe(timestamp)
    }
  })

  it('refuses a timestamp outside int64', () => {
    const message = { groupId: new Uint8Array(0), timestamp: 2n ** 63n, body: new Uint8Array(0) }
    expect(() => encodeMessage(message)).toThrow(InvalidParametersError)
  })

  it('decode ∘ encode is the identity', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        expect(decodePayload(encodePayload(payload))).toEqual(payload)
      }),
    )
  })

  it('throws only DecodeError on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
        try {
          decodePayload(garbage)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
    )
  })

  it('throws DecodeError on truncated payloads', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), (payload, cut) => {
        const encoded = encodePayload(payload)
        fc.pre(encoded.length > 0)
        const truncated = encoded.subarray(0, cut % encoded.length)
        try {
          decodePayload(truncated)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
    )
    expect(() => decodePayload(hexToBytes('ca3805'))).toThrow(DecodeError)
  })

  it('enforces size limits', () => {
    const payload: Payload = {
      acks: Array.from({ length: 5 }, () => new Uint8Array(32)),
      offers: [],
      requests: [],
      messages: [],
      groupOffers: [],
    }
    const encoded = encodePayload(payload)
    expect(() => decodePayload(encoded, { maxBytes: encoded.length - 1 })).toThrow(DecodeError)
    expect(() => decodePayload(encoded, { maxItems: 4 })).toThrow(DecodeError)
    expect(decodePayload(encoded, { maxItems: 5 }).acks).toHaveLength(5)
  })

  it('returns owned Uint8Arrays, not views of the input', () => {
    const encoded = encodePayload({ ...emptyLike(), acks: [Uint8Array.of(9, 9)] })
    const decoded = decodePayload(encoded)
    encoded.fill(0)
    expect(decoded.acks[0]).toEqual(Uint8Array.of(9, 9))
    expect(Object.getPrototypeOf(decoded.acks[0])).toBe(Uint8Array.prototype)
    expect(isEmptyPayload(decodePayload(new Uint8Array(0)))).toBe(true)
  })
})

describe('splitPayload', () => {
  it('keeps every item, in order, in parts no larger than the limit unless an item is', () => {
    fc.assert(
      fc.property(payloadArb, fc.integer({ min: 1, max: 200 }), (payload, max) => {
        const parts = splitPayload(payload, max)
        for (const part of parts) {
          expect(isEmptyPayload(part)).toBe(false)
          const items = part.acks.length + part.offers.length + part.requests.length + part.messages.length
          if (items + part.groupOffers.length > 1) expect(encodePayload(part).length).toBeLessThanOrEqual(max)
        }
        const joined = emptyLike()
        for (const part of parts) {
          joined.acks.push(...part.acks)
          joined.offers.push(...part.offers)
          joined.requests.push(...part.requests)
          joined.messages.push(...part.messages)
          joined.groupOffers.push(...part.groupOffers)
        }
        expect(joined).toEqual(payload)
      }),
    )
  })

  it('packs as much as fits: two 32-byte acks take 72 bytes (3-byte tag, 1-byte length, id)', () => {
    const acks = [1, 2, 3].map((n) => new Uint8Array(32).fill(n))
    expect(encodePayload({ ...emptyLike(), acks: acks.slice(0, 2) }).length).toBe(72)
    expect(splitPayload({ ...emptyLike(), acks }, 72).map((p) => p.acks.length)).toEqual([2, 1])
    expect(splitPayload({ ...emptyLike(), acks }, 71).map((p) => p.acks.length)).toEqual([1, 1, 1])
  })
})

function emptyLike(): Payload {
  return { acks: [], offers: [], requests: [], messages: [], groupOffers: [] }
}
