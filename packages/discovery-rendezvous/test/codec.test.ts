import { loadCrypto } from '@parley/crypto'
import {
  decodeBody,
  encodeMessage,
  MessageType,
  RENDEZVOUS_PROTOCOL,
  type RendezvousMessage,
  RendezvousReader,
  Status,
  topicBytes,
} from '@parley/discovery-rendezvous'
import { decodeEnr } from '@parley/enr'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import {
  caseById,
  field,
  hex,
  loadVectorFile,
  loadVectors,
  num,
  str,
  toHex,
  unhex,
} from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const file = loadVectorFile('rendezvous.json')
const vectors = loadVectors('rendezvous.json')
const { secp256k1 } = await loadCrypto()

function readAll(bytes: Uint8Array, chunkSizes: readonly number[] = [bytes.length]): RendezvousMessage[] {
  const reader = new RendezvousReader()
  const messages: RendezvousMessage[] = []
  let offset = 0
  for (let index = 0; offset < bytes.length; index++) {
    const size = Math.max(1, chunkSizes[index % chunkSizes.length] ?? 1)
    messages.push(...reader.push(bytes.subarray(offset, offset + size)))
    offset += size
  }
  reader.end()
  return messages
}

describe('rendezvous vectors', () => {
  it('constants: protocol id, type numbers and status codes', () => {
    const constants = file.constants as Record<string, unknown>
    expect(RENDEZVOUS_PROTOCOL).toBe(str(constants, 'protocol_id'))
    const types = field<Record<string, number>>(constants, 'message_types')
    for (const name of Object.keys(MessageType) as Array<keyof typeof MessageType>) {
      expect(MessageType[name], name).toBe(num(types, name))
    }
    const statuses = field<Record<string, number>>(constants, 'status_codes')
    expect(Object.keys(Status).sort()).toEqual(Object.keys(statuses).sort())
    for (const name of Object.keys(Status) as Array<keyof typeof Status>) {
      expect(Status[name], name).toBe(num(statuses, name))
    }
  })

  it('register-response-ok', () => {
    const vector = caseById(vectors, 'register-response-ok')
    const message: RendezvousMessage = { type: MessageType.REGISTER_RESPONSE, status: Status.OK, message: '' }
    expect(toHex(encodeMessage(message))).toBe(str(vector.derived, 'stream_bytes'))
    expect(str(vector.derived, 'stream_bytes')).toBe(
      str(vector.derived, 'type_rlp') + str(vector.derived, 'body_rlp'),
    )
    expect(readAll(hex(vector.derived, 'stream_bytes'))).toEqual([message])
  })

  it('discover: limit comes before the topic', () => {
    const vector = caseById(vectors, 'discover')
    const message: RendezvousMessage = {
      type: MessageType.DISCOVER,
      limit: num(vector.input, 'limit'),
      topic: topicBytes(str(vector.input, 'topic_text')),
    }
    expect(toHex(encodeMessage(message))).toBe(str(vector.derived, 'stream_bytes'))
    expect(readAll(hex(vector.derived, 'stream_bytes'), [1])).toEqual([message])
    // Swapping the fields gives different bytes, so the order is really checked.
    expect(toHex(encode([message.topic, message.limit]))).not.toBe(str(vector.derived, 'body_rlp'))
  })

  it('discover-response: ENRs are embedded as lists and still verify', () => {
    const vector = caseById(vectors, 'discover-response')
    const records = field<string[]>(vector.input, 'records_rlp').map(unhex)
    const message: RendezvousMessage = {
      type: MessageType.DISCOVER_RESPONSE,
      status: Status.OK,
      message: '',
      records,
    }
    const expected = str(vector.derived, 'type_rlp') + str(vector.derived, 'body_rlp')
    expect(toHex(encodeMessage(message))).toBe(expected)
    const [decoded] = readAll(unhex(expected), [3, 7, 1])
    expect(decoded).toEqual(message)
    if (decoded?.type !== MessageType.DISCOVER_RESPONSE) throw new Error('wrong type')
    const first = decoded.records[0]
    if (first === undefined) throw new Error('no record')
    expect(decodeEnr(first, secp256k1).seq).toBe(1n)
    expect(decodeBody(MessageType.DISCOVER_RESPONSE, hex(vector.derived, 'body_rlp'))).toEqual(message)
  })
})

describe('status-im/rendezvous is not libp2p rendezvous', () => {
  it('numbers its types from 1 (the iota quirk: VERSION is first in the Go const block)', () => {
    expect(MessageType.REGISTER).toBe(1)
    expect(MessageType.REMOTEIP_RESPONSE).toBe(6)
    // libp2p rendezvous numbers REGISTER as 0; a 0 type byte (RLP 0x80) is not a message here.
    expect(() => readAll(Uint8Array.of(0x80, 0xc0))).toThrow(DecodeError)
  })

  it('uses RLP framing on /rend/0.1.0, not protobuf on /rendezvous/1.0.0, with a TTL in nanoseconds', () => {
    expect(RENDEZVOUS_PROTOCOL).toBe('/rend/0.1.0')
    const register = encodeMessage({
      type: MessageType.REGISTER,
      topic: topicBytes('whisper'),
      record: unhex(field<string[]>(caseById(vectors, 'discover-response').input, 'records_rlp')[0] ?? ''),
      ttlNs: 10_000_000_000n,
    })
    // RLP(1) then an RLP list; a protobuf varint length prefix would not start 0x01 0xf8.
    expect(toHex(register.subarray(0, 2))).toBe('01f8')
    expect(toHex(register)).toContain(toHex(encode(10_000_000_000n)))
  })
})

const bytes = (max: number) => fc.uint8Array({ maxLength: max })
const enr = unhex(field<string[]>(caseById(vectors, 'discover-response').input, 'records_rlp')[0] ?? '')
const anyRecord = fc.oneof(
  fc.constant(enr),
  fc.array(bytes(20), { maxLength: 4 }).map((items) => encode(items)),
)
const anyMessage: fc.Arbitrary<RendezvousMessage> = fc.oneof(
  fc.record({
    type: fc.constant(MessageType.REGISTER),
    topic: bytes(60),
    record: anyRecord,
    ttlNs: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  }),
  fc.record({ type: fc.constant(MessageType.REGISTER_RESPONSE), status: fc.nat(), message: fc.string() }),
  fc.record({ type: fc.constant(MessageType.DISCOVER), limit: fc.nat(), topic: bytes(60) }),
  fc.record({
    type: fc.constant(MessageType.DISCOVER_RESPONSE),
    status: fc.nat(),
    message: fc.string(),
    records: fc.array(anyRecord, { maxLength: 12 }),
  }),
  fc.constant({ type: MessageType.REMOTEIP }),
  fc.record({ type: fc.constant(MessageType.REMOTEIP_RESPONSE), status: fc.nat(), ip: fc.string() }),
)

describe('codec properties', () => {
  it('messages round-trip through the reader under any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        (messages, chunks) => {
          const stream = Uint8Array.from(messages.flatMap((message) => [...encodeMessage(message)]))
          expect(readAll(stream, chunks)).toEqual(messages)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('garbage fails only with DecodeError', () => {
    fc.assert(
      fc.property(
        bytes(300),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }),
        (garbage, chunks) => {
          try {
            readAll(garbage, chunks)
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('mutated messages fail only with DecodeError', () => {
    fc.assert(
      fc.property(anyMessage, fc.nat(), fc.integer({ min: 1, max: 255 }), (message, at, flip) => {
        const mutated = Uint8Array.from(encodeMessage(message))
        const index = at % mutated.length
        mutated[index] = (mutated[index] ?? 0) ^ flip
        try {
          readAll(mutated)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('RendezvousReader limits and failures', () => {
  it('rejects an item over the cap from its header, before buffering it', () => {
    const reader = new RendezvousReader({ maxItemBytes: 1024 })
    expect(() => reader.push(Uint8Array.of(0x04, 0xf9, 0x10, 0x00))).toThrow(/over 1024 bytes/)
    expect(() => reader.push(Uint8Array.of(0x02))).toThrow(DecodeError) // stays failed
    const huge = new RendezvousReader()
    expect(() =>
      huge.push(Uint8Array.of(0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
    ).toThrow(DecodeError)
  })

  it('keeps a partial message until the rest arrives, and end() reports a cut-off one', () => {
    const reader = new RendezvousReader()
    expect(reader.push(Uint8Array.of(0x02, 0xc2))).toEqual([])
    expect(reader.buffered).toBe(1)
    expect(() => reader.end()).toThrow(/ended inside a message/)
  })

  it('reports the message type of a bad body so a server can answer E_INVALID_CONTENT', () => {
    const reader = new RendezvousReader()
    const error = (() => {
      try {
        reader.push(Uint8Array.of(0x01, 0xc1, 0x80)) // REGISTER with one field
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toMatchObject({ name: 'RendezvousDecodeError', code: 'ERR_DECODE', messageType: 1 })
  })

  it('rejects unknown types and extra fields', () => {
    expect(() => readAll(Uint8Array.of(0x07, 0xc0))).toThrow(/unknown rendezvous message type 7/)
    expect(() => readAll(Uint8Array.of(0x02, 0xc3, 0x80, 0x80, 0x80))).toThrow(/3 fields, expected 2/)
  })

  it('encoding refuses a record that is not an RLP list', () => {
    expect(() =>
      encodeMessage({
        type: MessageType.REGISTER,
        topic: topicBytes('t'),
        record: Uint8Array.of(0x81),
        ttlNs: 1n,
      }),
    ).toThrow(InvalidParametersError)
    expect(() =>
      encodeMessage({
        type: MessageType.REGISTER,
        topic: topicBytes('t'),
        record: Uint8Array.of(0x05),
        ttlNs: 1n,
      }),
    ).toThrow(InvalidParametersError)
  })
})
