/** Re-exported from @parley/interfaces, where they now live, so existing imports keep working. */
export { SchemaVersionError, StoreFullError } from '@parley/interfaces'
/** Re-exported from @parley/store-utils, where the stores now share it. */
export { writeErrorsCounter } from '@parley/store-utils'
export { StoreLockedError } from './errors.ts'
export { DB_KEY_LENGTH, encodeDbKey } from './keys.ts'
export { LAYOUT_VERSION } from './layout.ts'
export { LevelStore, type LevelStoreInit, levelStore } from './level-store.ts'
