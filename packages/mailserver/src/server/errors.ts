import { ParleyError } from '@parley/interfaces'

/** Why a mailserver refused or failed a request: a metric label and a stable field to branch on. */
export type MailserverFailureReason =
  | 'malformed'
  | 'unauthenticated'
  | 'pow-too-low'
  | 'invalid-range'
  | 'range-too-big'
  | 'limit-too-large'
  | 'no-bloom-or-topics'
  | 'rate-limited'
  | 'archive-failed'
  | 'send-failed'

/** A p2p request (126) the server refused; the client gets its message after `ERROR=`. */
export class MailserverRequestError extends ParleyError {
  static override readonly code = 'ERR_MAILSERVER_REQUEST'
  readonly reason: MailserverFailureReason
  /** the request id (32 bytes) when the request got far enough to have one */
  readonly requestId: Uint8Array | undefined

  constructor(
    reason: MailserverFailureReason,
    message: string,
    options: { cause?: unknown; requestId?: Uint8Array } = {},
  ) {
    super(message, MailserverRequestError.code, options)
    this.name = 'MailserverRequestError'
    this.reason = reason
    this.requestId = options.requestId
  }
}
