/** Re-exported from @parley/interfaces, where they now live, so existing imports keep working. */
export { SchemaVersionError, StoreFullError } from '@parley/interfaces'
export { SCHEMA_VERSION } from './migrations.ts'
export { SqliteStore, type SqliteStoreInit, sqliteStore, writeErrorsCounter } from './sqlite-store.ts'
