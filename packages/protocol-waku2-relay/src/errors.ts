import { InvalidParametersError } from '@parley/interfaces'
import type { RelayRejectReason } from './validator.ts'

/**
 * `publishMessage` refused a message the relay's validator rejects (code `ERR_INVALID_PARAMETERS`,
 * as any unsendable argument); `reason` says why, as the rejection metric labels it.
 */
export class RelayRejectedError extends InvalidParametersError {
  readonly reason: RelayRejectReason

  constructor(reason: RelayRejectReason) {
    super(`the relay rejects this message: ${reason}`)
    this.name = 'RelayRejectedError'
    this.reason = reason
  }
}
