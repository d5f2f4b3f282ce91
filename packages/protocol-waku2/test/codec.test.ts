/** WakuMessage codec: known bytes, field rules, strictness. */
import { bytesToHex, hexToBytes, utf8ToBytes } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import {
  decodeWakuMessage,
  encodeWakuMessage,
  MAX_WAKU_MESSAGE_SIZE,
  type WakuMessage,
} from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { caseById, loadCases, str } from './vectors.ts'

const statusCase = caseById(loadCases('status-payloads.json'), 'waku-message-pb-0')
const known: WakuMessage = {
  payload: hexToBytes('010203045445535405060708'),
  contentTopic: '/waku/2/default-content/proto',
  timestamp: 0x175789bfa23f8400n,
  meta: utf8ToBytes('super-secret'),
}

describe('known encoding (status-payloads.json waku-message-pb-0)', () => {
  it('encodes to the vector bytes, timestamp as a zigzag sint64', () => {
    expect(bytesToHex(encodeWakuMessage(known))).toBe(str(statusCase.expected, 'pb_hex'))
  })

  it('decodes the vector bytes', () => {
    expect(decodeWakuMessage(hexToBytes(str(statusCase.expected, 'pb_hex')))).toEqual(known)
  })
})

describe('field encoding', () => {
  it('timestamp is zigzag: -1 is varint 1, 1 is varint 2 (sint64, not int64)', () => {
    const base = { payload: new Uint8Array(0), contentTopic: '' }
    expect(bytesToHex(encodeWakuMessage({ ...base, timestamp: -1n }))).toBe('5001')
    expect(bytesToHex(encodeWakuMessage({ ...base, timestamp: 1n }))).toBe('5002')
    expect(decodeWakuMessage(hexToBytes('50ffffffffffffffffff01')).timestamp).toBe(-(1n << 63n))
    expect(decodeWakuMessage(hexToBytes('50feffffffffffffffff01')).timestamp).toBe((1n << 63n) - 1n)
  })

  it('optional fields are written when defined, even with default values, and read back as present', () => {
    const message: WakuMessage = {
      payload: new Uint8Array(0),
      contentTopic: '',
      version: 0,
      timestamp: 0n,
      meta: new Uint8Array(0),
      rateLimitProof: new Uint8Array(0),
      ephemeral: false,
    }
    const bytes = encodeWakuMessage(message)
    expect(bytesToHex(bytes)).toBe('180050005a00aa0100f80100')
    expect(decodeWakuMessage(bytes)).toEqual(message)
  })

  it('empty payload and content topic are omitted (proto3 implicit presence)', () => {
    expect(encodeWakuMessage({ payload: new Uint8Array(0), contentTopic: '' })).toHaveLength(0)
    expect(decodeWakuMessage(new Uint8Array(0))).toEqual({ payload: new Uint8Array(0), contentTopic: '' })
  })

  it('ephemeral accepts any non-zero varint as true (protobuf bool)', () => {
    expect(decodeWakuMessage(hexToBytes('f80102')).ephemeral).toBe(true)
    expect(decodeWakuMessage(hexToBytes('f80101')).ephemeral).toBe(true)
  })

  it('a repeated field: the last one wins', () => {
    expect(decodeWakuMessage(hexToBytes('18011802')).version).toBe(2)
  })

  it('decoded byte fields do not alias the input', () => {
    const bytes = encodeWakuMessage(known)
    const decoded = decodeWakuMessage(bytes)
    bytes.fill(0)
    expect(decoded.payload).toEqual(known.payload)
  })
})

describe('encoder rejects what the wire cannot carry', () => {
  const base = { payload: new Uint8Array(1), contentTopic: '/a/1/b/c' }
  it.each([
    ['version above uint32', { ...base, version: 2 ** 32 }],
    ['negative version', { ...base, version: -1 }],
    ['fractional version', { ...base, version: 1.5 }],
    ['timestamp above int64', { ...base, timestamp: 1n << 63n }],
    ['timestamp below int64', { ...base, timestamp: -(1n << 63n) - 1n }],
    ['meta of 65 bytes', { ...base, meta: new Uint8Array(65) }],
    ['lone surrogate in content topic', { ...base, contentTopic: '/a/1/\ud800/c' }],
  ])('%s', (_name, message) => {
    expect(() => encodeWakuMessage(message)).toThrow(InvalidParametersError)
  })
})

describe('decoder rejects malformed input with DecodeError', () => {
  it.each([
    ['truncated varint', 'f8'],
    ['varint longer than 10 bytes', `18${'80'.repeat(10)}01`],
    ['varint above 64 bits', '18ffffffffffffffffff02'],
    ['field number 0', '0000'],
    ['group wire type 3', '0b'],
    ['wire type 6', '0e'],
    ['length beyond the input', '0a05010203'],
    ['huge length, rejected before allocating', '0affffffffffffffffff01'],
    ['payload sent as varint', '0801'],
    ['version sent as bytes', '1a0100'],
    ['version above uint32', '188080808010'],
    ['meta of 65 bytes (nwaku rejects > 64 on decode)', `5a41${'00'.repeat(65)}`],
    ['content topic not UTF-8', '1202c328'],
    ['unknown fixed64 field truncated', '0901020304'],
    ['unknown fixed32 field truncated', '0d0102'],
    ['unknown length-delimited field beyond the input', '3a0a00'],
  ])('%s', (_name, hex) => {
    expect(() => decodeWakuMessage(hexToBytes(hex))).toThrow(DecodeError)
  })

  it('input above maxSize (default 150 KiB)', () => {
    const big = encodeWakuMessage({ payload: new Uint8Array(MAX_WAKU_MESSAGE_SIZE), contentTopic: '' })
    expect(() => decodeWakuMessage(big)).toThrow(DecodeError)
    expect(decodeWakuMessage(big, { maxSize: big.length }).payload).toHaveLength(MAX_WAKU_MESSAGE_SIZE)
  })
})

describe('unknown fields are skipped', () => {
  it.each([
    ['varint (field 4)', '20ff01'],
    ['fixed64 (field 5)', '290102030405060708'],
    ['length-delimited (field 7)', '3a03616263'],
    ['fixed32 (field 9)', '4d01020304'],
    ['large field number (2^29 - 1)', 'f8ffffff0f00'],
  ])('%s', (_name, unknownHex) => {
    const message = hexToBytes(`${unknownHex}${str(statusCase.expected, 'pb_hex')}${unknownHex}`)
    expect(decodeWakuMessage(message)).toEqual(known)
  })
})
