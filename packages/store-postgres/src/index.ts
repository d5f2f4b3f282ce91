export { SchemaVersionError, StoreFullError } from './errors.ts'
export { SCHEMA_VERSION } from './migrations.ts'
export { PostgresStore, type PostgresStoreInit, postgresStore, writeErrorsCounter } from './postgres-store.ts'
