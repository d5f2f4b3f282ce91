import { join } from 'node:path'
import { message, oldestFirst, pageAll } from '@parley/compliance-tests'
import { betterSqlite3Availability, SqliteStore, sqliteStore } from '@parley/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { Database } from '../src/database.ts'
import { resolveDriver } from '../src/drivers/index.ts'
import { DRIVERS } from './drivers.ts'
import { removeDir, tempDir } from './temp.ts'

describe('SQLite drivers', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) removeDir(dir)
    dir = undefined
  })

  it('better-sqlite3 loads here, so its suites run (it is installed with the workspace)', () => {
    // A failure here names the reason: no prebuilt binary for this platform, or not installed.
    expect(betterSqlite3Availability()).toEqual({ available: true })
  })

  it('defaults to node:sqlite; auto takes better-sqlite3 when it loads; the choice is reported', () => {
    expect(new SqliteStore({ path: ':memory:' }).driver).toBe('node:sqlite')
    expect(new SqliteStore({ path: ':memory:', driver: 'node:sqlite' }).driver).toBe('node:sqlite')
    expect(new SqliteStore({ path: ':memory:', driver: 'better-sqlite3' }).driver).toBe('better-sqlite3')
    expect(new SqliteStore({ path: ':memory:', driver: 'auto' }).driver).toBe('better-sqlite3')
  })

  it('rejects an unknown driver where it is written', () => {
    for (const driver of ['sqlite3', '', 'BETTER-SQLITE3']) {
      expect(() => sqliteStore({ path: ':memory:', driver: driver as 'auto' })).toThrow(
        expect.objectContaining({
          name: 'InvalidParametersError',
          message: expect.stringContaining('driver'),
        }),
      )
    }
  })

  it.each(DRIVERS)(
    '%s maps as much of the file for reads as mmapBytes says (0: none); bad values are refused',
    (driver) => {
      dir = tempDir()
      const path = join(dir, 'mapped.db')
      for (const mmapBytes of [2 ** 30, 0, 8 * 2 ** 20]) {
        const database = new Database({ path, busyTimeoutMs: 0, mmapBytes, driver: resolveDriver(driver) })
        expect(Number(database.statement('PRAGMA mmap_size').get()?.mmap_size)).toBe(mmapBytes)
        database.close()
      }
      expect(() => sqliteStore({ path, mmapBytes: -1 })).toThrow(/mmapBytes/)
      expect(() => sqliteStore({ path, mmapBytes: 1.5 })).toThrow(/mmapBytes/)
    },
  )

  it('both drivers read and write one file: the same schema, SQL and encoding', async () => {
    dir = tempDir()
    const path = join(dir, 'shared.db')
    const first = Array.from({ length: 30 }, (_, n) => message(n, n % 2 ? { pubsubTopic: '/waku/2/a' } : {}))
    const second = Array.from({ length: 30 }, (_, n) => message(100 + n))
    const writer = new SqliteStore({ path, driver: 'node:sqlite' })
    await writer.start()
    await writer.insert(first)
    await writer.put(Uint8Array.of(1, 2), Uint8Array.of(3))
    await writer.stop()

    const other = new SqliteStore({ path, driver: 'better-sqlite3' })
    await other.start()
    expect((await pageAll(other, { limit: 7 })).keys).toEqual(oldestFirst(first))
    expect(await other.get(Uint8Array.of(1, 2))).toEqual(Uint8Array.of(3))
    await other.insert(second)
    await other.stop()

    const reader = new SqliteStore({ path, driver: 'node:sqlite' })
    await reader.start()
    expect((await pageAll(reader, { limit: 11 })).keys).toEqual(oldestFirst([...first, ...second]))
    await reader.stop()
  })

  it('better-sqlite3 hands out plain Uint8Arrays and bigint timestamps, as node:sqlite does', async () => {
    const store = new SqliteStore({ path: ':memory:', driver: 'better-sqlite3' })
    await store.start()
    try {
      await store.insert([message(1)])
      await store.put(Uint8Array.of(9), Uint8Array.of(8))
      const [stored] = (await store.query({})).messages
      for (const bytes of [stored?.hash, stored?.data, await store.get(Uint8Array.of(9))]) {
        expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype)
      }
      expect(typeof stored?.timestamp).toBe('bigint')
    } finally {
      await store.stop()
    }
  })
})
