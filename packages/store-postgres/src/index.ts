/** Re-exported from @parley/interfaces, where they now live, so existing imports keep working. */
export { SchemaVersionError, StoreFullError } from '@parley/interfaces'
/** Re-exported from @parley/store-utils, where the stores now share it. */
export { writeErrorsCounter } from '@parley/store-utils'
export { SCHEMA_VERSION } from './migrations.ts'
export { PostgresStore, type PostgresStoreInit, postgresStore } from './postgres-store.ts'
