/**
 * The direct packets (125–127) on untrusted bytes: only `DecodeError`, round trips in each deployed
 * form; and Waku Status options stay readable when a newer peer adds keys we do not know.
 */
import {
  decodeP2PMessage,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  decodeWakuStatus,
  decodeWhisperStatus,
  encodeEnvelope,
  encodeP2PMessages,
  encodeP2PRequest,
  encodeP2PRequestComplete,
  encodeWakuStatus,
  p2pRequestForm,
  topicToBloom,
} from '@parley/envelope'
import { DecodeError } from '@parley/interfaces'
import { decode, encode, type RlpInput, type RlpValue } from '@parley/rlp'
import { caseById, loadVectors, str } from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { envelopeOf, garbage, onlyDecodeError, rlpTree, topic } from './arbitraries.ts'

const decoders: Array<[string, (bytes: Uint8Array) => unknown]> = [
  ['decodeP2PRequest (126)', (bytes) => decodeP2PRequest(bytes)],
  ['p2pRequestForm (126)', (bytes) => p2pRequestForm(bytes)],
  ['decodeP2PMessage (127, list only)', (bytes) => decodeP2PMessage(bytes)],
  ['decodeP2PMessage (127, single or list)', (bytes) => decodeP2PMessage(bytes, { acceptSingle: true })],
  ['decodeP2PRequestComplete (125)', decodeP2PRequestComplete],
  ['decodeWakuStatus', decodeWakuStatus],
  ['decodeWhisperStatus', decodeWhisperStatus],
]

describe('direct packets and status on garbage: only DecodeError', () => {
  for (const [name, decodeIt] of decoders) {
    it(name, () => {
      fc.assert(
        fc.property(garbage, (bytes) => onlyDecodeError(decodeIt, bytes)),
        { numRuns: 400 },
      )
    })
  }
})

const envelope = envelopeOf(100)

describe('direct packets round trip in their deployed forms', () => {
  it('126: one envelope', () => {
    fc.assert(
      fc.property(envelope, (value) => {
        expect(decodeP2PRequest(encodeP2PRequest(value))).toEqual(value)
      }),
    )
  })

  it("127: status-go's list, either way; go-ethereum's bare envelope only where single is accepted", () => {
    fc.assert(
      fc.property(fc.array(envelope, { maxLength: 4 }), envelope, (list, single) => {
        const payload = encodeP2PMessages(list)
        expect(decodeP2PMessage(payload)).toEqual(list)
        expect(decodeP2PMessage(payload, { acceptSingle: true })).toEqual(list)
        expect(decodeP2PMessage(encodeEnvelope(single), { acceptSingle: true })).toEqual([single])
        expect(() => decodeP2PMessage(encodeEnvelope(single))).toThrow(DecodeError)
      }),
    )
  })

  it("126: an envelope, or status-go's bare MessagesRequest, and nothing else", () => {
    fc.assert(
      fc.property(envelope, (value) => {
        expect(p2pRequestForm(encodeP2PRequest(value))).toBe('envelope')
      }),
    )
    const id = new Uint8Array(32).fill(1)
    expect(p2pRequestForm(encode([id, 10, 20, 100, new Uint8Array(0), new Uint8Array(64)]))).toBe(
      'messages-request',
    )
    expect(p2pRequestForm(encode([id, 10, 20, 100, new Uint8Array(0), new Uint8Array(64), []]))).toBe(
      'messages-request',
    )
    expect(() => p2pRequestForm(encode([id, 10, 20]))).toThrow(DecodeError)
    expect(() => p2pRequestForm(encode([new Uint8Array(31), 1, 2, 3, 4, 5]))).toThrow(DecodeError)
  })

  it('125: mailserver.json request-complete-success, both forms', () => {
    const vector = caseById(loadVectors('mailserver.json'), 'request-complete-success')
    const inner = Buffer.from(str(vector.derived, 'inner_payload'), 'hex')
    const packet = encodeP2PRequestComplete(new Uint8Array(inner))
    expect(Buffer.from(packet).toString('hex')).toBe(str(vector.derived, 'packet_payload_rlp'))
    const specList = Buffer.from(str(vector.derived, 'spec_list_form_for_comparison'), 'hex')
    expect(decodeP2PRequestComplete(new Uint8Array(specList))).toEqual(new Uint8Array(inner))
  })

  it("125: status-go's byte string, and the specs' three-field list read as its concatenation", () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 })
    const cursor = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 36, maxLength: 36 }))
    fc.assert(
      fc.property(hash, hash, cursor, (id, last, next) => {
        const layout = new Uint8Array([...id, ...last, ...next])
        expect(decodeP2PRequestComplete(encodeP2PRequestComplete(layout))).toEqual(layout)
        expect(decodeP2PRequestComplete(encode([id, last, next]))).toEqual(layout)
      }),
    )
  })
})

describe('waku status options from a newer peer', () => {
  it('ignores unknown keys wherever they sit and still decodes the known ones', () => {
    const options = fc.record(
      {
        pow: fc.double({ min: 0, max: 1e6, noNaN: true }),
        bloom: topic.map(topicToBloom),
        lightNode: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    const unknown = fc.array(fc.tuple(fc.bigInt({ min: 7n, max: 2n ** 63n }), rlpTree), { maxLength: 4 })
    fc.assert(
      fc.property(options, unknown, fc.nat(), (known, extra, seed) => {
        const pairs = decode(encodeWakuStatus(known)) as RlpValue[]
        const mixed: RlpInput[] = [...pairs]
        for (const [i, [key, value]] of extra.entries())
          mixed.splice((seed + i) % (mixed.length + 1), 0, [key, value])
        expect(decodeWakuStatus(encode(mixed))).toEqual(known)
      }),
    )
  })
})
