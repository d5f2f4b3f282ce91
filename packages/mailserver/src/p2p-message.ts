/**
 * P2P Message (code 127): the envelopes a mailserver sends back, possibly expired. status-go sends
 * an RLP list of envelopes. On shh/6 a receiver must also accept a single envelope (the EIP-627
 * form, which status-im/whisper reads); status-go's waku/1 reads only the list.
 */
import {
  DEFAULT_MAX_ENVELOPES,
  DEFAULT_MAX_LENGTH,
  type Envelope,
  encodeEnvelopes,
  envelopeFromRlp,
} from '@parley/envelope'
import { decode } from '@parley/rlp'
import { MailDecodeError } from './errors.ts'

export interface DecodeP2PMessageOptions {
  /** `'shh'` also accepts a single envelope; default `'waku'` */
  capability?: 'shh' | 'waku'
  /** default 10 MiB */
  maxLength?: number
  /** default 100 000 */
  maxEnvelopes?: number
}

/** The list form, which every receiver reads. */
export function encodeP2PMessage(envelopes: readonly Envelope[]): Uint8Array {
  return encodeEnvelopes(envelopes)
}

/** Throws only `DecodeError`. */
export function decodeP2PMessage(payload: Uint8Array, options: DecodeP2PMessageOptions = {}): Envelope[] {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH
  if (payload.length > maxLength) {
    throw new MailDecodeError('bad-length', `a P2P message of ${payload.length} bytes is over ${maxLength}`)
  }
  const value = decode(payload)
  if (!Array.isArray(value)) throw new MailDecodeError('malformed', 'a P2P message is an RLP list')
  // An envelope starts with its expiry (a byte string); a list of envelopes starts with a list.
  const first = value[0]
  if (first !== undefined && !Array.isArray(first)) {
    if (options.capability !== 'shh') {
      throw new MailDecodeError('malformed', 'waku/1 P2P messages are lists of envelopes')
    }
    return [envelopeFromRlp(value)]
  }
  const maxEnvelopes = options.maxEnvelopes ?? DEFAULT_MAX_ENVELOPES
  if (value.length > maxEnvelopes) {
    throw new MailDecodeError(
      'bad-length',
      `a P2P message holds ${value.length} envelopes, over ${maxEnvelopes}`,
    )
  }
  return value.map(envelopeFromRlp)
}
