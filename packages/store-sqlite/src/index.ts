export { SchemaVersionError, StoreFullError } from './errors.ts'
export { SCHEMA_VERSION } from './migrations.ts'
export { SqliteStore, type SqliteStoreInit, sqliteStore, writeErrorsCounter } from './sqlite-store.ts'
