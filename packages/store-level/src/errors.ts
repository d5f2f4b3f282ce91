import { ParleyError } from '@parley/interfaces'

/** Another process (or another store in this one) has the LevelDB directory open: LevelDB locks it. */
export class StoreLockedError extends ParleyError {
  static override readonly code = 'ERR_STORE_LOCKED'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, StoreLockedError.code, options)
    this.name = 'StoreLockedError'
  }
}
