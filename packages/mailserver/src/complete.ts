/**
 * P2P Request Complete (code 125). status-go sends an RLP *byte string*:
 * `requestId(32) || lastEnvelopeHash(32) || cursor(0 or 36)` on success and
 * `"ERROR=" || requestId(32) || text` on failure. The specs (4/, 11/, 8/) and nwaku describe the
 * list `[RequestID, LastEnvelopeHash, Cursor]`; it is decoded too, and encoded on request.
 */
import { concatBytes, equalBytes, utf8ToBytes } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'
import { asBytes, decode, encode } from '@parley/rlp'
import { CURSOR_LENGTH } from './db-key.ts'
import { MailDecodeError } from './errors.ts'

const HASH_LENGTH = 32
const ERROR_PREFIX = utf8ToBytes('ERROR=')
/** status-go receivers accept success payloads of 32..100 bytes. */
export const MIN_COMPLETE_LENGTH = HASH_LENGTH
export const MAX_COMPLETE_LENGTH = 2 * HASH_LENGTH + CURSOR_LENGTH

export type RequestCompleteForm = 'status-go' | 'spec'

export interface RequestCompleted {
  kind: 'completed'
  requestId: Uint8Array
  /** all zero when the server sent none */
  lastEnvelopeHash: Uint8Array
  /** empty when there is nothing more; pass it back to get the next page */
  cursor: Uint8Array
  form: RequestCompleteForm
}

export interface RequestFailed {
  kind: 'failed'
  requestId: Uint8Array
  error: string
}

export type RequestComplete = RequestCompleted | RequestFailed

export interface EncodeCompleteOptions {
  /** default `'status-go'` */
  form?: RequestCompleteForm
}

/** The 125 packet (RLP). `V1PrivacyProtocol.sendP2PRequestComplete` wants the payload instead. */
export function encodeRequestCompleted(
  completed: { requestId: Uint8Array; lastEnvelopeHash: Uint8Array; cursor: Uint8Array },
  options: EncodeCompleteOptions = {},
): Uint8Array {
  const payload = requestCompletedPayload(completed)
  if (options.form !== 'spec') return encode(payload)
  const { requestId, lastEnvelopeHash, cursor } = completed
  return encode([requestId, lastEnvelopeHash, cursor])
}

/**
 * status-go's success layout without the RLP wrapping, `requestId ‖ lastEnvelopeHash ‖ cursor`:
 * what `sendP2PRequestComplete` takes and `p2p:request-complete` carries.
 */
export function requestCompletedPayload(completed: {
  requestId: Uint8Array
  lastEnvelopeHash: Uint8Array
  cursor: Uint8Array
}): Uint8Array {
  const { requestId, lastEnvelopeHash, cursor } = completed
  for (const [name, value] of [
    ['requestId', requestId],
    ['lastEnvelopeHash', lastEnvelopeHash],
  ] as const) {
    if (value.length !== HASH_LENGTH)
      throw new InvalidParametersError(`${name} must be 32 bytes, got ${value.length}`)
  }
  if (cursor.length !== 0 && cursor.length !== CURSOR_LENGTH) {
    throw new InvalidParametersError(`a cursor is empty or ${CURSOR_LENGTH} bytes, got ${cursor.length}`)
  }
  return concatBytes(requestId, lastEnvelopeHash, cursor)
}

/** The 125 packet (RLP) of a refusal. */
export function encodeRequestFailed(failed: { requestId: Uint8Array; error: string }): Uint8Array {
  return encode(requestFailedPayload(failed))
}

/** `"ERROR=" ‖ requestId ‖ text` without the RLP wrapping, for `sendP2PRequestComplete`. */
export function requestFailedPayload(failed: { requestId: Uint8Array; error: string }): Uint8Array {
  if (failed.requestId.length !== HASH_LENGTH) throw new InvalidParametersError('requestId must be 32 bytes')
  return concatBytes(ERROR_PREFIX, failed.requestId, utf8ToBytes(failed.error))
}

/** Reads either form; throws only `DecodeError`. */
export function decodeRequestComplete(packet: Uint8Array): RequestComplete {
  const value = decode(packet)
  if (Array.isArray(value)) {
    if (value.length !== 3)
      throw new MailDecodeError('malformed', `a request-complete list has 3 elements, got ${value.length}`)
    const requestId = fixedHash(asBytes(value[0], 'requestId'), 'requestId')
    const lastEnvelopeHash = fixedHash(asBytes(value[1], 'lastEnvelopeHash'), 'lastEnvelopeHash')
    const cursor = asBytes(value[2], 'cursor').slice()
    return { kind: 'completed', requestId, lastEnvelopeHash, cursor, form: 'spec' }
  }
  return decodeRequestCompletePayload(value)
}

/** status-go's layout as `p2p:request-complete` carries it (no RLP wrapping); throws only `DecodeError`. */
export function decodeRequestCompletePayload(payload: Uint8Array): RequestComplete {
  if (startsWith(payload, ERROR_PREFIX)) {
    const rest = payload.subarray(ERROR_PREFIX.length)
    const idBytes = rest.subarray(0, HASH_LENGTH)
    return {
      kind: 'failed',
      requestId: rightAligned(idBytes),
      error: new TextDecoder().decode(rest.subarray(HASH_LENGTH)),
    }
  }
  if (payload.length < MIN_COMPLETE_LENGTH || payload.length > MAX_COMPLETE_LENGTH) {
    throw new MailDecodeError(
      'bad-length',
      `a request-complete payload is ${MIN_COMPLETE_LENGTH}..${MAX_COMPLETE_LENGTH} bytes, got ${payload.length}`,
    )
  }
  const rest = payload.subarray(2 * HASH_LENGTH)
  return {
    kind: 'completed',
    requestId: payload.slice(0, HASH_LENGTH),
    // go-ethereum's BytesToHash: a short hash is right-aligned in 32 zero bytes.
    lastEnvelopeHash: rightAligned(payload.subarray(HASH_LENGTH, 2 * HASH_LENGTH)),
    // status-go takes the cursor only when a whole one follows.
    cursor: rest.length >= CURSOR_LENGTH ? rest.slice() : new Uint8Array(0),
    form: 'status-go',
  }
}

function fixedHash(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length !== HASH_LENGTH)
    throw new MailDecodeError('bad-length', `${what} must be 32 bytes, got ${bytes.length}`)
  return bytes.slice()
}

function rightAligned(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(HASH_LENGTH)
  out.set(bytes, HASH_LENGTH - bytes.length)
  return out
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && equalBytes(bytes.subarray(0, prefix.length), prefix)
}
