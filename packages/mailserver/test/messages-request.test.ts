/** The non-envelope MessagesRequest and the code-126 dispatch; P2P Message (127). */
import { type Envelope, encodeEnvelope, encodeEnvelopes } from '@parley/envelope'
import { DecodeError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'
import {
  decodeMessagesRequest,
  decodeP2PMessage,
  decodeP2PRequest,
  encodeMessagesRequest,
  encodeP2PMessage,
  type MessagesRequest,
} from '../src/index.ts'

const request: MessagesRequest = {
  id: new Uint8Array(32).fill(9),
  from: 100,
  to: 200,
  limit: 10,
  cursor: new Uint8Array(0),
  bloom: new Uint8Array(64).fill(1),
  topics: [Uint8Array.of(1, 2, 3, 4)],
}
const envelope: Envelope = {
  expiry: 1000,
  ttl: 50,
  topic: new Uint8Array(4),
  data: Uint8Array.of(1, 2, 3),
  nonce: 7n,
}

describe('MessagesRequest', () => {
  it('writes [ID, From, To, Limit, Cursor, Bloom, Topics] and reads it back', () => {
    const bytes = encodeMessagesRequest(request)
    expect(bytes).toEqual(encode([request.id, 100, 200, 10, request.cursor, request.bloom, request.topics]))
    expect(decodeMessagesRequest(bytes)).toEqual(request)
  })

  it('has a six-element whisper form without topics', () => {
    const whisper = { ...request, topics: [] }
    const bytes = encodeMessagesRequest(whisper, { form: 'whisper' })
    expect(bytes).toEqual(encode([request.id, 100, 200, 10, request.cursor, request.bloom]))
    expect(decodeMessagesRequest(bytes)).toEqual(whisper)
  })

  it('validates like status-go', () => {
    const bad: Array<Partial<MessagesRequest>> = [
      { id: new Uint8Array(31) },
      { from: 201 },
      { limit: 1001 },
      { bloom: new Uint8Array(0), topics: [] },
    ]
    for (const change of bad) {
      const fields = { ...request, ...change }
      const bytes = encode([
        fields.id,
        fields.from,
        fields.to,
        fields.limit,
        fields.cursor,
        fields.bloom,
        fields.topics,
      ])
      expect(() => decodeMessagesRequest(bytes)).toThrow(DecodeError)
    }
  })

  it('code 126 is an envelope first, else a MessagesRequest', () => {
    expect(decodeP2PRequest(encodeEnvelope(envelope))).toEqual({ kind: 'envelope', envelope })
    expect(decodeP2PRequest(encodeMessagesRequest(request))).toEqual({ kind: 'messages-request', request })
    expect(() => decodeP2PRequest(encode([1, 2]))).toThrow(DecodeError)
  })
})

describe('P2P Message (127)', () => {
  it('is a list of envelopes', () => {
    const bytes = encodeP2PMessage([envelope, envelope])
    expect(bytes).toEqual(encodeEnvelopes([envelope, envelope]))
    expect(decodeP2PMessage(bytes)).toEqual([envelope, envelope])
    expect(decodeP2PMessage(encodeP2PMessage([]))).toEqual([])
  })

  it('accepts a single envelope on shh/6 only', () => {
    expect(decodeP2PMessage(encodeEnvelope(envelope), { capability: 'shh' })).toEqual([envelope])
    expect(() => decodeP2PMessage(encodeEnvelope(envelope))).toThrow(DecodeError)
  })

  it('enforces its limits', () => {
    const bytes = encodeP2PMessage([envelope, envelope])
    expect(() => decodeP2PMessage(bytes, { maxEnvelopes: 1 })).toThrow(DecodeError)
    expect(() => decodeP2PMessage(bytes, { maxLength: bytes.length - 1 })).toThrow(DecodeError)
  })
})
