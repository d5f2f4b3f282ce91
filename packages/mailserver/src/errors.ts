import { DecodeError } from '@parley/interfaces'

/** Why a mailserver payload was refused; stable, for callers that branch or count. */
export type MailDecodeReason =
  | 'malformed'
  | 'bad-length'
  | 'invalid-range'
  | 'range-too-big'
  | 'no-bloom-or-topics'
  | 'limit-too-large'

/** A mailserver payload (request, cursor, request-complete, P2P message) that does not decode. */
export class MailDecodeError extends DecodeError {
  readonly reason: MailDecodeReason

  constructor(reason: MailDecodeReason, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MailDecodeError'
    this.reason = reason
  }
}
