import { ParleyError, type ParleyErrorOptions } from '@parley/interfaces'

/**
 * A lightpush service refused a message. `statusCode` is nwaku's v3 code (`LightpushStatus`);
 * 2.0.0-beta1 answers carry no code, only `statusDesc` (its `info`).
 */
export class LightpushError extends ParleyError {
  static override readonly code = 'ERR_LIGHTPUSH'
  readonly statusCode: number | undefined
  readonly statusDesc: string | undefined

  constructor(statusCode: number | undefined, statusDesc: string | undefined, options?: ParleyErrorOptions) {
    const code = statusCode === undefined ? '' : ` with status ${statusCode}`
    super(
      `lightpush refused${code}${statusDesc === undefined ? '' : `: ${statusDesc}`}`,
      LightpushError.code,
      options,
    )
    this.name = 'LightpushError'
    this.statusCode = statusCode
    this.statusDesc = statusDesc
  }
}
