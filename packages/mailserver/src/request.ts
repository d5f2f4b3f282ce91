/**
 * The decrypted payload of a P2P Request (code 126) envelope. Its layout changed over the years;
 * a server must read all of them, a client sends the newest (`'2020'`) unless it talks to old code.
 *
 * | layout        | bytes                                                                   |
 * | ------------- | ----------------------------------------------------------------------- |
 * | `'2020'`      | rlp([Lower, Upper, Bloom, Topics, Limit, Cursor, Batch]) (status-go now) |
 * | `'2019'`      | rlp([Lower, Upper, Bloom, Limit, Cursor, Batch]) (status-go 2018-12..2020-01) |
 * | `'spec'`      | rlp([Lower, Upper, Bloom, Limit, Cursor]) (4/, 11/ specs, nwaku v1)     |
 * | `'waku-mail'` | rlp([lower, upper, bloom, limit(, cursor, [topics])]) (8/WAKU-MAIL)      |
 * | `'binary'`    | lower(4 BE) upper(4 BE) [bloom(64) [limit(4 BE) [cursor(36 or 40)]]]   |
 */

import { BLOOM_SIZE, fullBloom } from '@parley/envelope'
import { InvalidParametersError } from '@parley/interfaces'
import { asBytes, decode, encode, RlpDecodeError, type RlpInput, type RlpValue, toNumber } from '@parley/rlp'
import { CURSOR_LENGTH, DB_KEY_LENGTH } from './db-key.ts'
import { MailDecodeError } from './errors.ts'

export interface MailRequest {
  /** unix seconds, inclusive */
  lower: number
  /** unix seconds, inclusive; 0 asks for "now + 60 s" */
  upper: number
  /** topic bloom; ignored by the server when `topics` is non-empty */
  bloom: Uint8Array
  topics: Uint8Array[]
  /** at most `MAX_REQUEST_LIMIT`; 0 means the default */
  limit: number
  /** opaque; empty for the first page */
  cursor: Uint8Array
  /** ask for envelopes in batches (status-go) */
  batch: boolean
}

export type RequestLayout = '2020' | '2019' | 'spec' | 'waku-mail' | 'binary'

export interface DecodedMailRequest extends MailRequest {
  layout: RequestLayout
}

export const MAX_REQUEST_LIMIT = 1000
export const DEFAULT_REQUEST_LIMIT = 1000
/** status-go's `whisperTTLSafeThreshold`: an upper bound of 0 becomes now + this. */
export const UPPER_DEFAULT_LEAD = 60
/** The binary layout may span at most 24 h (status-go `maxQueryRange`). */
export const MAX_BINARY_RANGE = 24 * 60 * 60

const MAX_UINT32 = 0xffff_ffff
const BINARY_TIMES = 8
const BINARY_WITH_LIMIT = BINARY_TIMES + BLOOM_SIZE + 4

export interface EncodeRequestOptions {
  /** default `'2020'` */
  layout?: RequestLayout
}

/** The payload bytes; throws `InvalidParametersError` for a field the layout cannot carry. */
export function encodeRequestPayload(request: MailRequest, options: EncodeRequestOptions = {}): Uint8Array {
  const layout = options.layout ?? '2020'
  const { lower, upper, bloom, topics, limit, cursor, batch } = request
  for (const [name, value] of [
    ['lower', lower],
    ['upper', upper],
    ['limit', limit],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_UINT32) {
      throw new InvalidParametersError(`${name} must be a uint32, got ${value}`)
    }
  }
  const refuse = (field: string): never => {
    throw new InvalidParametersError(`the ${layout} request layout cannot carry ${field}`)
  }
  if (topics.length > 0 && layout !== '2020' && layout !== 'waku-mail') refuse('topics')
  if (batch && layout !== '2020' && layout !== '2019') refuse('batch')
  const topicList: RlpInput[] = [...topics]
  switch (layout) {
    case '2020':
      return encode([lower, upper, bloom, topicList, limit, cursor, batch ? 1 : 0])
    case '2019':
      return encode([lower, upper, bloom, limit, cursor, batch ? 1 : 0])
    case 'spec':
      return encode([lower, upper, bloom, limit, cursor])
    case 'waku-mail':
      return encode([lower, upper, bloom, limit, cursor, topicList])
    case 'binary':
      return encodeBinary(request)
    default:
      throw new InvalidParametersError(`unknown request layout ${String(layout)}`)
  }
}

function encodeBinary({ lower, upper, bloom, limit, cursor }: MailRequest): Uint8Array {
  if (bloom.length !== BLOOM_SIZE)
    throw new InvalidParametersError(`the binary layout needs a ${BLOOM_SIZE}-byte bloom`)
  if (cursor.length !== 0 && cursor.length !== CURSOR_LENGTH && cursor.length !== DB_KEY_LENGTH) {
    throw new InvalidParametersError(
      `the binary layout needs a ${CURSOR_LENGTH}- or ${DB_KEY_LENGTH}-byte cursor`,
    )
  }
  const out = new Uint8Array(BINARY_WITH_LIMIT + cursor.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, lower)
  view.setUint32(4, upper)
  out.set(bloom, BINARY_TIMES)
  view.setUint32(BINARY_TIMES + BLOOM_SIZE, limit)
  out.set(cursor, BINARY_WITH_LIMIT)
  return out
}

export interface DecodeRequestOptions {
  /** unix seconds, for an upper bound of 0 (default: the clock) */
  now?: number
}

/**
 * Reads any layout, then applies status-go's defaults and checks. Like status-go it first tries
 * RLP (newest layout first) and falls back to the binary form only when the bytes are not one of
 * the list layouts. Throws only `DecodeError` (a `MailDecodeError` with a `reason`).
 */
export function decodeRequestPayload(
  bytes: Uint8Array,
  options: DecodeRequestOptions = {},
): DecodedMailRequest {
  let request: DecodedMailRequest
  try {
    request = decodeListLayout(decode(bytes))
  } catch (rlpError) {
    if (!(rlpError instanceof RlpDecodeError) && !(rlpError instanceof MailDecodeError)) throw rlpError
    request = decodeBinary(bytes, rlpError)
  }
  return applyDefaultsAndCheck(request, options.now ?? Math.floor(Date.now() / 1000))
}

function decodeListLayout(value: RlpValue): DecodedMailRequest {
  if (!Array.isArray(value)) throw new MailDecodeError('malformed', 'a request payload is an RLP list')
  const [lower, upper, bloom, fourth, fifth, sixth, seventh] = value
  const head = {
    lower: toNumber(lower, 4, 'lower'),
    upper: toNumber(upper, 4, 'upper'),
    bloom: asBytes(bloom, 'bloom').slice(),
  }
  switch (value.length) {
    case 7:
      return {
        ...head,
        topics: topicsFrom(fourth),
        limit: toNumber(fifth, 4, 'limit'),
        cursor: asBytes(sixth, 'cursor').slice(),
        batch: boolFrom(seventh),
        layout: '2020',
      }
    case 6: {
      const tail = { limit: toNumber(fourth, 4, 'limit'), cursor: asBytes(fifth, 'cursor').slice() }
      // The sixth element tells the two six-element layouts apart: a bool or a list of topics.
      if (Array.isArray(sixth))
        return { ...head, ...tail, topics: topicsFrom(sixth), batch: false, layout: 'waku-mail' }
      return { ...head, ...tail, topics: [], batch: boolFrom(sixth), layout: '2019' }
    }
    case 5:
      return {
        ...head,
        topics: [],
        limit: toNumber(fourth, 4, 'limit'),
        cursor: asBytes(fifth, 'cursor').slice(),
        batch: false,
        layout: 'spec',
      }
    case 4:
      return {
        ...head,
        topics: [],
        limit: toNumber(fourth, 4, 'limit'),
        cursor: new Uint8Array(0),
        batch: false,
        layout: 'waku-mail',
      }
    default:
      throw new MailDecodeError('malformed', `a request list has 4 to 7 elements, got ${value.length}`)
  }
}

function topicsFrom(value: RlpValue | undefined): Uint8Array[] {
  if (!Array.isArray(value)) throw new MailDecodeError('malformed', 'topics must be a list')
  return value.map((topic) => asBytes(topic, 'topic').slice())
}

/** go-ethereum's RLP bool: 0x80 is false, 0x01 true, nothing else. */
function boolFrom(value: RlpValue | undefined): boolean {
  const bytes = asBytes(value, 'batch')
  if (bytes.length === 0) return false
  if (bytes.length === 1 && bytes[0] === 1) return true
  throw new MailDecodeError('malformed', 'batch must be an RLP bool')
}

/** status-go's legacy reader: 8 bytes mean a full bloom; limit and cursor only when fully present. */
function decodeBinary(bytes: Uint8Array, rlpError: unknown): DecodedMailRequest {
  if (bytes.length !== BINARY_TIMES && bytes.length < BINARY_TIMES + BLOOM_SIZE) {
    throw new MailDecodeError('malformed', `not a request payload in any layout (${bytes.length} bytes)`, {
      cause: rlpError,
    })
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const lower = view.getUint32(0)
  const upper = view.getUint32(4)
  if (upper >= lower && upper - lower > MAX_BINARY_RANGE) {
    throw new MailDecodeError('range-too-big', `a binary request spans at most 24 h, got ${upper - lower} s`)
  }
  const bloom =
    bytes.length === BINARY_TIMES ? fullBloom() : bytes.slice(BINARY_TIMES, BINARY_TIMES + BLOOM_SIZE)
  const limit = bytes.length >= BINARY_WITH_LIMIT ? view.getUint32(BINARY_TIMES + BLOOM_SIZE) : 0
  const rest = bytes.length - BINARY_WITH_LIMIT
  // status-go takes the cursor only when exactly a cursor (or a whole DB key) follows; other tails are ignored.
  const cursor =
    rest === CURSOR_LENGTH || rest === DB_KEY_LENGTH ? bytes.slice(BINARY_WITH_LIMIT) : new Uint8Array(0)
  return { lower, upper, bloom, topics: [], limit, cursor, batch: false, layout: 'binary' }
}

/** status-go: upper 0 → now + 60, limit 0 → 1000, then `Validate()`. */
function applyDefaultsAndCheck(request: DecodedMailRequest, now: number): DecodedMailRequest {
  if (request.upper === 0) request.upper = Math.min(now + UPPER_DEFAULT_LEAD, MAX_UINT32)
  if (request.limit === 0) request.limit = DEFAULT_REQUEST_LIMIT
  if (request.upper < request.lower) {
    throw new MailDecodeError('invalid-range', `lower ${request.lower} is after upper ${request.upper}`)
  }
  if (request.bloom.length === 0 && request.topics.length === 0) {
    throw new MailDecodeError('no-bloom-or-topics', 'a request needs a bloom or topics')
  }
  if (request.limit > MAX_REQUEST_LIMIT) {
    throw new MailDecodeError('limit-too-large', `limit ${request.limit} is over ${MAX_REQUEST_LIMIT}`)
  }
  return request
}
