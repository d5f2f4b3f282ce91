import type { SqliteDriverName } from '@parley/store-sqlite'

/**
 * Every driver the suites run on. better-sqlite3 is an optional dependency that the workspace
 * installs, so it is always listed: drivers.test.ts fails, naming the reason, when it does not load.
 */
export const DRIVERS: readonly SqliteDriverName[] = ['node:sqlite', 'better-sqlite3']
