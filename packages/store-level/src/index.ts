/** Re-exported from @parley/interfaces, where they now live, so existing imports keep working. */
export { SchemaVersionError, StoreFullError } from '@parley/interfaces'
export { StoreLockedError } from './errors.ts'
export { DB_KEY_LENGTH, encodeDbKey } from './keys.ts'
export { LAYOUT_VERSION } from './layout.ts'
export { LevelStore, type LevelStoreInit, levelStore, writeErrorsCounter } from './level-store.ts'
