import { ParleyError, type ParleyErrorOptions } from '@parley/interfaces'

/**
 * A store server answered with an error status (v3 `status_code` other than 200, or a v2beta4
 * `error`), or with a response that does not belong to the request.
 */
export class StoreQueryError extends ParleyError {
  static override readonly code = 'ERR_STORE_QUERY'
  /** the v3 status code (400, 429, 503, …); 300 for a malformed or mismatched response */
  readonly statusCode: number
  constructor(message: string, statusCode: number, options?: ParleyErrorOptions) {
    super(message, StoreQueryError.code, options)
    this.name = 'StoreQueryError'
    this.statusCode = statusCode
  }
}
