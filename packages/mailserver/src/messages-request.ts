/**
 * The non-envelope request that status-go also accepts on code 126:
 * `rlp([ID(32), From, To, Limit, Cursor, Bloom])` on shh/6, with `Topics` appended on waku/1.
 * A code-126 payload is first tried as an envelope, as status-go does (`decodeP2PRequest`).
 */

import { type Envelope, envelopeFromRlp } from '@parley/envelope'
import { InvalidParametersError } from '@parley/interfaces'
import { asBytes, decode, encode, type RlpInput, toNumber } from '@parley/rlp'
import { MailDecodeError } from './errors.ts'
import { MAX_REQUEST_LIMIT } from './request.ts'

export interface MessagesRequest {
  /** 32 bytes chosen by the client; echoed in Request Complete */
  id: Uint8Array
  /** unix seconds */
  from: number
  to: number
  limit: number
  cursor: Uint8Array
  bloom: Uint8Array
  topics: Uint8Array[]
}

export type MessagesRequestForm = 'whisper' | 'waku'

const MAX_UINT32 = 0xffff_ffff

/** `form` defaults to `'waku'` (seven elements); `'whisper'` cannot carry topics. */
export function encodeMessagesRequest(
  request: MessagesRequest,
  options: { form?: MessagesRequestForm } = {},
): Uint8Array {
  const { id, from, to, limit, cursor, bloom, topics } = request
  if (id.length !== 32) throw new InvalidParametersError(`id must be 32 bytes, got ${id.length}`)
  for (const [name, value] of [
    ['from', from],
    ['to', to],
    ['limit', limit],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_UINT32) {
      throw new InvalidParametersError(`${name} must be a uint32, got ${value}`)
    }
  }
  const fields: RlpInput[] = [id, from, to, limit, cursor, bloom]
  if (options.form === 'whisper') {
    if (topics.length > 0) throw new InvalidParametersError('the whisper form cannot carry topics')
    return encode(fields)
  }
  return encode([...fields, [...topics]])
}

/** Decodes and validates like status-go's `MessagesRequest.Validate`; throws only `DecodeError`. */
export function decodeMessagesRequest(payload: Uint8Array): MessagesRequest {
  return messagesRequestFromRlp(decode(payload))
}

function messagesRequestFromRlp(value: ReturnType<typeof decode>): MessagesRequest {
  if (!Array.isArray(value) || (value.length !== 6 && value.length !== 7)) {
    throw new MailDecodeError('malformed', 'a MessagesRequest is a list of 6 or 7 elements')
  }
  const [id, from, to, limit, cursor, bloom, topics] = value
  const topicList = topics === undefined ? [] : topics
  if (!Array.isArray(topicList)) throw new MailDecodeError('malformed', 'topics must be a list')
  const request: MessagesRequest = {
    id: asBytes(id, 'id').slice(),
    from: toNumber(from, 4, 'from'),
    to: toNumber(to, 4, 'to'),
    limit: toNumber(limit, 4, 'limit'),
    cursor: asBytes(cursor, 'cursor').slice(),
    bloom: asBytes(bloom, 'bloom').slice(),
    topics: topicList.map((topic) => asBytes(topic, 'topic').slice()),
  }
  if (request.id.length !== 32)
    throw new MailDecodeError('bad-length', `id must be 32 bytes, got ${request.id.length}`)
  if (request.from > request.to)
    throw new MailDecodeError('invalid-range', `from ${request.from} is after to ${request.to}`)
  if (request.limit > MAX_REQUEST_LIMIT) {
    throw new MailDecodeError('limit-too-large', `limit ${request.limit} is over ${MAX_REQUEST_LIMIT}`)
  }
  if (request.bloom.length === 0 && request.topics.length === 0) {
    throw new MailDecodeError('no-bloom-or-topics', 'a MessagesRequest needs a bloom or topics')
  }
  return request
}

export type P2PRequest =
  | { kind: 'envelope'; envelope: Envelope }
  | { kind: 'messages-request'; request: MessagesRequest }

/** A code-126 payload: an envelope (five elements) or else a MessagesRequest. */
export function decodeP2PRequest(payload: Uint8Array): P2PRequest {
  const value = decode(payload)
  if (Array.isArray(value) && value.length === 5)
    return { kind: 'envelope', envelope: envelopeFromRlp(value) }
  return { kind: 'messages-request', request: messagesRequestFromRlp(value) }
}
