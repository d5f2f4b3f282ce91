/**
 * The direct (peer-to-peer) packets mailservers use on `shh/6` and `waku/1`: P2P Request (126), P2P
 * Message (127) and P2P Request Complete (125). Their layouts differ between deployed nodes:
 *
 * - 126 is one envelope (go-ethereum, status-im/whisper, status-go); status-go clients since 2020 may
 *   instead send a bare `MessagesRequest` `[id(32), from, to, limit, cursor, bloom(, topics)]`, which
 *   its mailserver tries after the envelope.
 * - 127 is one envelope in go-ethereum's whisperv6 (EIP-627), a list of envelopes in status-im/whisper
 *   and status-go waku; status-im/whisper accepts both, go-ethereum only the single envelope, status-go
 *   waku only the list.
 * - 125 is an RLP byte string in status-go (`requestID || lastEnvelopeHash || cursor`, or
 *   `"ERROR=" || requestID || text`); the specs and nwaku describe the list
 *   `[requestID, lastEnvelopeHash, cursor]`, which we read as the same concatenation.
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { asBytes, asList, decode, encode } from '@parley/rlp'
import { DEFAULT_MAX_LENGTH } from '../limits.ts'
import {
  DEFAULT_MAX_ENVELOPES,
  type DecodeEnvelopeOptions,
  type DecodeEnvelopesOptions,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  envelopeFromRlp,
} from './envelope.ts'

/** P2P Request (126): one envelope. */
export function encodeP2PRequest(envelope: Envelope): Uint8Array {
  return encodeEnvelope(envelope)
}

/** Throws only `DecodeError`. */
export function decodeP2PRequest(payload: Uint8Array, options: DecodeEnvelopeOptions = {}): Envelope {
  return decodeEnvelope(payload, options)
}

/** Which form a P2P Request (126) takes; see the module comment. */
export type P2PRequestForm = 'envelope' | 'messages-request'

/**
 * Tells the two 126 forms apart without decoding the request's fields (the mailserver does): an
 * envelope, else a list of 6 or 7 elements that starts with a 32-byte id. Throws only `DecodeError`.
 */
export function p2pRequestForm(payload: Uint8Array, options: DecodeEnvelopeOptions = {}): P2PRequestForm {
  try {
    decodeEnvelope(payload, options)
    return 'envelope'
  } catch (error) {
    const items = asList(decode(payload), 'p2p request')
    const id = items[0]
    if ((items.length === 6 || items.length === 7) && id instanceof Uint8Array && id.length === 32) {
      return 'messages-request'
    }
    throw error
  }
}

/** P2P Message (127) as status-go and status-im/whisper send it: a list of envelopes. */
export function encodeP2PMessages(envelopes: readonly Envelope[]): Uint8Array {
  return encodeEnvelopes(envelopes)
}

export interface DecodeP2PMessageOptions extends DecodeEnvelopesOptions {
  /**
   * Also read a bare envelope (go-ethereum's and EIP-627's form), as status-im/whisper does on
   * `shh/6`. status-go's `waku/1` reads only the list. Default false.
   */
  acceptSingle?: boolean
}

/**
 * The envelopes of a P2P Message (127). An envelope is a list whose first element is a string, a
 * list of envelopes a list of lists (or empty), so the two forms never overlap. Throws only `DecodeError`.
 */
export function decodeP2PMessage(payload: Uint8Array, options: DecodeP2PMessageOptions = {}): Envelope[] {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH
  if (payload.length > maxLength) {
    throw new DecodeError(`p2p message is ${payload.length} bytes, over the ${maxLength}-byte limit`)
  }
  const items = asList(decode(payload), 'p2p message')
  const first = items[0]
  if (first !== undefined && !Array.isArray(first)) {
    if (options.acceptSingle !== true) throw new DecodeError('p2p message is one envelope, not a list')
    return [envelopeFromRlp(items)]
  }
  const maxEnvelopes = options.maxEnvelopes ?? DEFAULT_MAX_ENVELOPES
  if (items.length > maxEnvelopes) {
    throw new DecodeError(`p2p message holds ${items.length} envelopes, over the limit of ${maxEnvelopes}`)
  }
  return items.map(envelopeFromRlp)
}

/** status-go's request-complete (125) carries its layout as one RLP byte string. */
export function encodeP2PRequestComplete(payload: Uint8Array): Uint8Array {
  if (!(payload instanceof Uint8Array))
    throw new InvalidParametersError('a request-complete payload is bytes')
  return encode(payload)
}

/**
 * The request-complete layout (`requestID || lastEnvelopeHash || cursor` on success) from a 125
 * packet: status-go's byte string, or the specs' three-string list concatenated. Throws only `DecodeError`.
 */
export function decodeP2PRequestComplete(payload: Uint8Array): Uint8Array {
  const value = decode(payload)
  if (!Array.isArray(value)) return value.slice()
  if (value.length !== 3) throw new DecodeError(`request complete list has ${value.length} elements, not 3`)
  const parts = value.map((item) => asBytes(item, 'request complete field'))
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0))
  let offset = 0
  for (const part of parts) {
    joined.set(part, offset)
    offset += part.length
  }
  return joined
}
