import { ParleyError, type ParleyErrorOptions } from '@parley/interfaces'

/** A peer exchange service answered with a status other than SUCCESS (nwaku's codes). */
export class PeerExchangeError extends ParleyError {
  static override readonly code = 'ERR_PEER_EXCHANGE'
  readonly statusCode: number
  readonly statusDesc: string | undefined

  constructor(statusCode: number, statusDesc: string | undefined, options?: ParleyErrorOptions) {
    super(
      `peer exchange refused with status ${statusCode}${statusDesc === undefined ? '' : `: ${statusDesc}`}`,
      PeerExchangeError.code,
      options,
    )
    this.name = 'PeerExchangeError'
    this.statusCode = statusCode
    this.statusDesc = statusDesc
  }
}
