/** Every case of mailserver.json. */
import { caseById, field, hex, loadVectors, num, toHex } from '@parley/test-support'
import { describe, expect, it } from 'vitest'
import {
  CURSOR_LENGTH,
  cursorFromDbKey,
  DB_KEY_LENGTH,
  decodeDbKey,
  decodeRequestComplete,
  decodeRequestPayload,
  encodeDbKey,
  encodeRequestCompleted,
  encodeRequestPayload,
} from '../src/index.ts'

const cases = loadVectors('mailserver.json')

/** go-ethereum's BytesToHash: right-aligned in 32 bytes. */
function bytesToHash(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(32)
  out.set(bytes, 32 - bytes.length)
  return out
}

describe('mailserver.json', () => {
  it('covers every case', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(
      ['db-key-and-cursor', 'request-complete-success', 'request-payload-rlp-status-go-2020'].sort(),
    )
  })

  it('db-key-and-cursor (official)', () => {
    const vector = caseById(cases, 'db-key-and-cursor')
    const key = encodeDbKey({
      timestamp: num(vector.input, 'timestamp'),
      hash: hex(vector.input, 'envelope_hash'),
      topic: hex(vector.input, 'topic'),
    })
    expect(toHex(key)).toBe(field(vector.expected, 'db_key'))
    expect(toHex(cursorFromDbKey(key))).toBe(field(vector.derived, 'cursor'))
    expect(DB_KEY_LENGTH).toBe(num(vector.derived, 'DBKeyLength'))
    expect(CURSOR_LENGTH).toBe(num(vector.derived, 'CursorLength'))
    const decoded = decodeDbKey(key)
    expect(decoded.timestamp).toBe(num(vector.input, 'timestamp'))
    expect(toHex(decoded.hash)).toBe(field(vector.input, 'envelope_hash'))
    expect(toHex(decoded.topic)).toBe(field(vector.input, 'topic'))
  })

  it('request-payload-rlp-status-go-2020', () => {
    const vector = caseById(cases, 'request-payload-rlp-status-go-2020')
    const input = vector.input!
    const request = {
      lower: num(input, 'lower'),
      upper: num(input, 'upper'),
      bloom: hex(input, 'bloom'),
      topics: field<string[]>(input, 'topics').map((t) => hex({ t }, 't')),
      limit: num(input, 'limit'),
      cursor: hex(input, 'cursor'),
      batch: field<boolean>(input, 'batch'),
    }
    const bytes = encodeRequestPayload(request, { layout: '2020' })
    expect(toHex(bytes)).toBe(field(vector.derived, 'payload_rlp'))
    expect(field<boolean>(vector.expected, 'decodes_back_to_input')).toBe(true)
    expect(decodeRequestPayload(hex(vector.derived, 'payload_rlp'), { now: 1000 })).toEqual({
      ...request,
      layout: '2020',
    })
  })

  it('request-complete-success: the status-go byte string and the spec list', () => {
    const vector = caseById(cases, 'request-complete-success')
    const parsed = field<Record<string, unknown>>(vector.expected, 'parses_to')
    const requestId = bytesToHash(hex(vector.input, 'request_id_src_bytes'))
    const lastEnvelopeHash = bytesToHash(hex(vector.input, 'last_envelope_hash_src_bytes'))
    const cursor = hex(parsed, 'cursor')
    expect(toHex(requestId)).toBe(field(parsed, 'request_id'))

    const packet = encodeRequestCompleted({ requestId, lastEnvelopeHash, cursor })
    expect(toHex(packet)).toBe(field(vector.derived, 'packet_payload_rlp'))
    expect(toHex(packet).endsWith(field(vector.derived, 'inner_payload'))).toBe(true)
    const listForm = encodeRequestCompleted({ requestId, lastEnvelopeHash, cursor }, { form: 'spec' })
    expect(toHex(listForm)).toBe(field(vector.derived, 'spec_list_form_for_comparison'))

    for (const [bytes, form] of [
      [hex(vector.derived, 'packet_payload_rlp'), 'status-go'],
      [hex(vector.derived, 'spec_list_form_for_comparison'), 'spec'],
    ] as const) {
      const decoded = decodeRequestComplete(bytes)
      expect(decoded).toEqual({ kind: 'completed', requestId, lastEnvelopeHash, cursor, form })
    }
  })
})
