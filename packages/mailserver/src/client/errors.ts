import { ParleyError } from '@parley/interfaces'

/** No configured mailserver could serve a request: all grey-listed, unreachable or failing. */
export class MailserverUnavailableError extends ParleyError {
  static override readonly code = 'ERR_MAILSERVER_UNAVAILABLE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, MailserverUnavailableError.code, options)
    this.name = 'MailserverUnavailableError'
  }
}

/** A mailserver answered a request with `ERROR=`; `message` is its text. */
export class MailserverRefusedError extends ParleyError {
  static override readonly code = 'ERR_MAILSERVER_REFUSED'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, MailserverRefusedError.code, options)
    this.name = 'MailserverRefusedError'
  }
}
