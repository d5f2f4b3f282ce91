import { join } from 'node:path'
import { fakeComponents, message, oldestFirst, pageAll } from '@parley/compliance-tests'
import { SqliteStore, StoreFullError, sqliteStore } from '@parley/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { DRIVERS } from './drivers.ts'
import { removeDir, tempDir } from './temp.ts'

describe.each(DRIVERS)('a full store (%s)', (driver) => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) removeDir(dir)
  })

  it('refuses the write that does not fit with StoreFullError, counts it, and stays intact', async () => {
    dir = tempDir()
    const path = join(dir, 'full.db')
    const components = fakeComponents()
    const store = sqliteStore({ path, driver, maxBytes: 256 * 1024 }).create(components) as SqliteStore
    await store.start()
    const stored = Array.from({ length: 20 }, (_, n) => message(n, { data: new Uint8Array(1000).fill(n) }))
    try {
      expect(await store.insert(stored)).toBe(20)
      // 400 KB cannot fit in a 256 KB file: the whole batch is refused, not a prefix of it.
      const big = Array.from({ length: 100 }, (_, n) =>
        message(1000 + n, { data: new Uint8Array(4000).fill(n) }),
      )
      const error = await store.insert(big).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(StoreFullError)
      expect((error as StoreFullError).code).toBe('ERR_STORE_FULL')
      const kvError = await store
        .batch()
        .put(new Uint8Array([1]), new Uint8Array(300_000))
        .commit()
        .catch((caught: unknown) => caught)
      expect((kvError as StoreFullError).code).toBe('ERR_STORE_FULL')
      expect(components.recorded.get('parley_store_write_errors_total{store="sqlite",reason="full"}')).toBe(2)
      expect(await store.count()).toBe(20)
      expect((await pageAll(store, { limit: 7 })).keys).toEqual(oldestFirst(stored))
      // Deleting makes room again, and small writes still work.
      expect(await store.deleteOlderThan(stored[10]!.timestamp)).toBe(10)
      expect(await store.insert(big.slice(0, 5))).toBe(5)
    } finally {
      await store.stop()
    }
    const reopened = new SqliteStore({ path, driver })
    await reopened.start()
    expect(await reopened.count()).toBe(15)
    await reopened.stop()
  })
})
