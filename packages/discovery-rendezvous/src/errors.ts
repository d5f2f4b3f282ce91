import { ParleyError, type ParleyErrorOptions } from '@parley/interfaces'

/** A rendezvous server answered a request with a status other than OK. */
export class RendezvousRequestError extends ParleyError {
  static override readonly code = 'ERR_RENDEZVOUS_REFUSED'
  /** the server's status code (`Status`) */
  readonly status: number

  constructor(message: string, status: number, options?: ParleyErrorOptions) {
    super(message, RendezvousRequestError.code, options)
    this.name = 'RendezvousRequestError'
    this.status = status
  }
}
