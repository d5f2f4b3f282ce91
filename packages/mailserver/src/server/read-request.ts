/**
 * From the bytes of a p2p request (126) to a checked history request, in status-go's order:
 * decode, proof of work, decrypt with the asymmetric key then the symmetric one, require a
 * signature, decode the payload in any layout, apply the defaults, check range and limit. Every
 * refusal is a `MailserverRequestError` carrying the request id when one is known, so the caller
 * can answer `ERROR=` like status-go.
 */
import { type Envelope, envelopeHash, envelopePow, open } from '@parley/envelope'
import { DecodeError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import { MailDecodeError, type MailDecodeReason } from '../errors.ts'
import { decodeP2PRequest, type MessagesRequest } from '../messages-request.ts'
import {
  DEFAULT_REQUEST_LIMIT,
  decodeRequestPayload,
  type MailRequest,
  UPPER_DEFAULT_LEAD,
} from '../request.ts'
import { type MailserverFailureReason, MailserverRequestError } from './errors.ts'
import type { MailserverSettings } from './options.ts'

export interface RequestKeys {
  secp256k1: Secp256k1Provider
  symKey: Uint8Array | undefined
  privateKey: Uint8Array | undefined
}

export interface ReadRequest {
  /** 32 bytes: the envelope hash, or the MessagesRequest id */
  requestId: Uint8Array
  request: MailRequest
}

export function readRequest(
  payload: Uint8Array,
  keys: RequestKeys,
  settings: Pick<MailserverSettings, 'minRequestPow' | 'maxRangeSeconds' | 'acceptMessagesRequest' | 'now'>,
  /** called once the request id is known and before any crypto: the place for a rate limit; may throw */
  admit: (requestId: Uint8Array) => void = () => {},
): ReadRequest {
  let decoded: ReturnType<typeof decodeP2PRequest>
  try {
    decoded = decodeP2PRequest(payload)
  } catch (error) {
    throw refusal(error, undefined)
  }
  const now = settings.now()
  if (decoded.kind === 'messages-request') {
    const requestId = decoded.request.id
    admit(requestId)
    if (!settings.acceptMessagesRequest) {
      throw new MailserverRequestError('unauthenticated', 'MessagesRequest is disabled', { requestId })
    }
    return { requestId, request: checked(fromMessagesRequest(decoded.request, now), settings, requestId) }
  }
  const { envelope } = decoded
  const requestId = envelopeHash(envelope)
  admit(requestId)
  if (settings.minRequestPow > 0 && envelopePow(envelope) < settings.minRequestPow) {
    throw new MailserverRequestError('pow-too-low', 'PoW too low', { requestId })
  }
  const plaintext = openWithAnyKey(envelope, keys)
  if (plaintext === undefined) {
    throw new MailserverRequestError('unauthenticated', 'failed to decrypt p2p request', { requestId })
  }
  try {
    return { requestId, request: checked(decodeRequestPayload(plaintext, { now }), settings, requestId) }
  } catch (error) {
    if (error instanceof MailserverRequestError) throw error
    throw refusal(error, requestId)
  }
}

/** The signed plaintext under the asymmetric key, else the symmetric key; undefined when neither opens it. */
function openWithAnyKey(envelope: Envelope, keys: RequestKeys): Uint8Array | undefined {
  const attempts = [
    keys.privateKey === undefined ? undefined : { privateKey: keys.privateKey },
    keys.symKey === undefined ? undefined : { symKey: keys.symKey },
  ]
  for (const key of attempts) {
    if (key === undefined) continue
    try {
      const message = open(envelope.data, { secp256k1: keys.secp256k1, ...key })
      // status-go refuses requests without a signature (checkMsgSignature).
      if (message.signer !== undefined) return message.payload
    } catch (error) {
      if (!(error instanceof DecodeError) && !(error instanceof VerificationError)) throw error
    }
  }
  return undefined
}

/** status-go's `Deliver`: a MessagesRequest is served batched, with the payload defaults. */
function fromMessagesRequest(request: MessagesRequest, now: number): MailRequest {
  return {
    lower: request.from,
    upper: request.to === 0 ? now + UPPER_DEFAULT_LEAD : request.to,
    bloom: request.bloom,
    topics: request.topics,
    limit: request.limit === 0 ? DEFAULT_REQUEST_LIMIT : request.limit,
    cursor: request.cursor,
    batch: true,
  }
}

function checked(
  request: MailRequest,
  settings: Pick<MailserverSettings, 'maxRangeSeconds'>,
  requestId: Uint8Array,
): MailRequest {
  const refuse = (reason: MailserverFailureReason, message: string): never => {
    throw new MailserverRequestError(reason, message, { requestId })
  }
  if (settings.maxRangeSeconds > 0 && request.upper - request.lower > settings.maxRangeSeconds) {
    refuse('range-too-big', `query range must be at most ${settings.maxRangeSeconds} s`)
  }
  if (request.topics.length === 0 && request.bloom.length !== 64) {
    refuse('malformed', `a bloom is 64 bytes, got ${request.bloom.length}`)
  }
  if (request.cursor.length !== 0 && request.cursor.length !== 36 && request.cursor.length !== 40) {
    refuse('malformed', `a cursor is 36 bytes, got ${request.cursor.length}`)
  }
  return request
}

const REASONS: Record<MailDecodeReason, MailserverFailureReason> = {
  malformed: 'malformed',
  'bad-length': 'malformed',
  'invalid-range': 'invalid-range',
  'range-too-big': 'range-too-big',
  'no-bloom-or-topics': 'no-bloom-or-topics',
  'limit-too-large': 'limit-too-large',
}

/** A decoder's `DecodeError` as a refusal; anything else is a bug and propagates. */
function refusal(error: unknown, requestId: Uint8Array | undefined): MailserverRequestError {
  if (!(error instanceof DecodeError)) throw error
  const reason = error instanceof MailDecodeError ? REASONS[error.reason] : 'malformed'
  return new MailserverRequestError(reason, error.message, { cause: error, requestId })
}
