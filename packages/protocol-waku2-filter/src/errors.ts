import { ParleyError, type ParleyErrorOptions } from '@parley/interfaces'

/**
 * A filter service answered with a non-2xx status. `statusCode` is nwaku's (`FilterStatus`):
 * 400 bad request, 404 no such subscription, 429 rate limited, 503 service limits reached.
 */
export class FilterRequestError extends ParleyError {
  static override readonly code = 'ERR_FILTER_REQUEST'
  readonly statusCode: number
  readonly statusDesc: string | undefined

  constructor(statusCode: number, statusDesc: string | undefined, options?: ParleyErrorOptions) {
    super(
      `filter request failed with status ${statusCode}${statusDesc === undefined ? '' : `: ${statusDesc}`}`,
      FilterRequestError.code,
      options,
    )
    this.name = 'FilterRequestError'
    this.statusCode = statusCode
    this.statusDesc = statusDesc
  }
}
