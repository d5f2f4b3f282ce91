import { ParleyError } from '@parley/interfaces'

/**
 * A write failed because the disk is full. LevelDB applied none of it (a batch is atomic); what
 * was stored before stays readable. LevelDB refuses further writes until the store is reopened.
 */
export class StoreFullError extends ParleyError {
  static override readonly code = 'ERR_STORE_FULL'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, StoreFullError.code, options)
    this.name = 'StoreFullError'
  }
}

/** Another process (or another store in this one) has the LevelDB directory open: LevelDB locks it. */
export class StoreLockedError extends ParleyError {
  static override readonly code = 'ERR_STORE_LOCKED'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, StoreLockedError.code, options)
    this.name = 'StoreLockedError'
  }
}

/**
 * The directory was written by a newer version of this package (its layout version is ahead of
 * what this code knows); it is left untouched.
 */
export class SchemaVersionError extends ParleyError {
  static override readonly code = 'ERR_SCHEMA_VERSION'
  readonly found: number
  readonly supported: number

  constructor(found: number, supported: number) {
    super(
      `LevelDB layout version ${found} is newer than the newest this code supports (${supported})`,
      SchemaVersionError.code,
    )
    this.name = 'SchemaVersionError'
    this.found = found
    this.supported = supported
  }
}
