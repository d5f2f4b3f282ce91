/**
 * The P2P Request (code 126) envelope, as status-go's `makeEnvelop` builds it: the request payload,
 * signed with the node key, sealed with the mailserver's symmetric key (PBKDF2 of its password) or
 * to its public key, topic 00000000, TTL 50. The request id is the envelope hash.
 */
import type { KeyInput } from '@parley/crypto'
import { type Envelope, envelopeHash, open, seal, sealEnvelope, symKeyFromPassword } from '@parley/envelope'
import type { AbortOptions, Secp256k1Provider } from '@parley/interfaces'
import { VerificationError } from '@parley/interfaces'
import {
  type DecodedMailRequest,
  type DecodeRequestOptions,
  decodeRequestPayload,
  encodeRequestPayload,
  type MailRequest,
  type RequestLayout,
} from './request.ts'

export const DEFAULT_MAILSERVER_PASSWORD = 'status-offline-inbox'
/** go-ethereum's `DefaultTTL`, which a request gets because status-go leaves TTL unset. */
export const REQUEST_TTL = 50
export const REQUEST_TOPIC: Uint8Array = new Uint8Array(4)

/** The symmetric key of a mailserver password (PBKDF2-SHA256, 65 356 rounds, empty salt). */
export function mailserverSymKey(
  password = DEFAULT_MAILSERVER_PASSWORD,
  options?: AbortOptions,
): Promise<Uint8Array> {
  return symKeyFromPassword(password, options)
}

export interface RequestEnvelopeInput {
  request: MailRequest
  /** default `'2020'` */
  layout?: RequestLayout
  /** the mailserver's symmetric key … */
  symKey?: KeyInput
  /** … or its public key (65 bytes); exactly one of the two */
  serverPublicKey?: Uint8Array
  /** the requesting node's private key; the server refuses unsigned requests */
  signingKey: Uint8Array
  /** the server's minimum proof of work */
  pow: number
}

export interface RequestEnvelopeOptions extends AbortOptions {
  secp256k1: Secp256k1Provider
  /** unix seconds (default: the clock) */
  now?: number
}

export interface RequestEnvelope {
  envelope: Envelope
  /** keccak256 of the envelope RLP: what Request Complete (125) echoes */
  requestId: Uint8Array
}

export async function makeRequestEnvelope(
  input: RequestEnvelopeInput,
  options: RequestEnvelopeOptions,
): Promise<RequestEnvelope> {
  const payload = encodeRequestPayload(input.request, { layout: input.layout ?? '2020' })
  const data = seal(
    { payload, sigKey: input.signingKey, symKey: input.symKey, publicKey: input.serverPublicKey },
    { secp256k1: options.secp256k1 },
  )
  const envelope = await sealEnvelope(
    { topic: REQUEST_TOPIC.slice(), data, ttl: REQUEST_TTL, pow: input.pow },
    { now: options.now, signal: options.signal },
  )
  return { envelope, requestId: envelopeHash(envelope) }
}

export interface OpenRequestOptions extends DecodeRequestOptions {
  secp256k1: Secp256k1Provider
  /** the server's symmetric key … */
  symKey?: KeyInput
  /** … or its private key; exactly one of the two */
  privateKey?: Uint8Array
}

export interface OpenedRequest {
  request: DecodedMailRequest
  /** the requester's uncompressed public key (65 bytes) */
  signer: Uint8Array
  requestId: Uint8Array
}

/**
 * Decrypts and decodes a request. Throws `DecodeError` for bad bytes and `VerificationError` for a
 * wrong key or a missing signature (status-go refuses unsigned requests).
 */
export function openRequestEnvelope(envelope: Envelope, options: OpenRequestOptions): OpenedRequest {
  const { secp256k1, symKey, privateKey } = options
  const message = open(envelope.data, { secp256k1, symKey, privateKey })
  if (message.signer === undefined) throw new VerificationError('a mailserver request must be signed')
  // The payload decoder copies every byte field, so no view into the plaintext escapes.
  const request = decodeRequestPayload(message.payload, options)
  return { request, signer: message.signer, requestId: envelopeHash(envelope) }
}
