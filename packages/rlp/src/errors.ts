import { DecodeError, type ParleyErrorOptions } from '@parley/interfaces'

/** Why RLP bytes were rejected. Stable strings: branch on these, not on the message. */
export type RlpErrorReason =
  | 'truncated'
  | 'non-canonical-size'
  | 'trailing-bytes'
  | 'too-deep'
  | 'expected-bytes'
  | 'expected-list'
  | 'non-canonical-integer'
  | 'integer-too-large'

/** A `DecodeError` (code `ERR_DECODE`) that also says which rule the input broke. */
export class RlpDecodeError extends DecodeError {
  readonly reason: RlpErrorReason

  constructor(reason: RlpErrorReason, message: string, options?: ParleyErrorOptions) {
    super(`rlp: ${message}`, options)
    this.name = 'RlpDecodeError'
    this.reason = reason
  }
}
