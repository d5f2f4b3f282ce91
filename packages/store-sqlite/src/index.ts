export { SchemaVersionError } from './errors.ts'
export { SCHEMA_VERSION } from './migrations.ts'
export { SqliteStore, type SqliteStoreInit, sqliteStore } from './sqlite-store.ts'
