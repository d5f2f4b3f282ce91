/** Re-exported from @parley/interfaces, where they now live, so existing imports keep working. */
export { SchemaVersionError, StoreFullError } from '@parley/interfaces'
/** Re-exported from @parley/store-utils, where the stores now share it. */
export { writeErrorsCounter } from '@parley/store-utils'
export {
  betterSqlite3Availability,
  type SqliteDriverChoice,
  type SqliteDriverName,
} from './drivers/index.ts'
export { SCHEMA_VERSION } from './migrations.ts'
export { SqliteStore, type SqliteStoreInit, sqliteStore } from './sqlite-store.ts'
