import { ParleyError } from '@parley/interfaces'

/**
 * A write failed because the server is out of disk (SQLSTATE 53100). PostgreSQL rolled the
 * statement back; what was stored before stays intact and readable.
 */
export class StoreFullError extends ParleyError {
  static override readonly code = 'ERR_STORE_FULL'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, StoreFullError.code, options)
    this.name = 'StoreFullError'
  }
}

/**
 * The schema was migrated by a newer version of this package: its version is ahead of every
 * migration this code knows, so reading or writing it could corrupt data. It is left untouched.
 */
export class SchemaVersionError extends ParleyError {
  static override readonly code = 'ERR_SCHEMA_VERSION'
  /** the schema version recorded in the database */
  readonly found: number
  /** the newest schema version this code can migrate to */
  readonly supported: number

  constructor(found: number, supported: number) {
    super(
      `Database schema version ${found} is newer than the newest this code supports (${supported})`,
      SchemaVersionError.code,
    )
    this.name = 'SchemaVersionError'
    this.found = found
    this.supported = supported
  }
}
