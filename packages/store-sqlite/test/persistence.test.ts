import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { BASE, keyOf, message, oldestFirst, tiedMessages } from '@parley/compliance-tests'
import { SCHEMA_VERSION, SchemaVersionError, SqliteStore } from '@parley/store-sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { removeDir, tempDir } from './temp.ts'

const encoder = new TextEncoder()
const utf8 = (text: string) => encoder.encode(text)

/** Reads the file behind the store's back, as another program would. */
function inspect<T>(path: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path)
  try {
    return read(db)
  } finally {
    db.close()
  }
}

describe('SqliteStore on a file', () => {
  let dir: string
  let path: string
  beforeEach(() => {
    dir = tempDir()
    path = join(dir, 'node.db')
  })
  afterEach(() => removeDir(dir))

  it('keeps keys and messages across stop/start and across a new store on the same file', async () => {
    const first = new SqliteStore({ path })
    await first.start()
    await first.put(utf8('name'), utf8('parley'))
    await first.batch().put(utf8('a'), utf8('1')).put(utf8('b'), utf8('2')).commit()
    const messages = tiedMessages(12, 4, 0, { pubsubTopic: '/waku/2/x' })
    expect(await first.insert(messages)).toBe(12)
    await first.stop()
    await first.start()
    expect(await first.get(utf8('name'))).toEqual(utf8('parley'))
    await first.stop()

    const second = new SqliteStore({ path })
    await second.start()
    try {
      expect(await second.get(utf8('a'))).toEqual(utf8('1'))
      expect(await second.get(utf8('b'))).toEqual(utf8('2'))
      const page = await second.query({ pubsubTopic: '/waku/2/x' })
      expect(page.messages.map(keyOf)).toEqual(oldestFirst(messages))
      expect(await second.insert(messages), 'still deduplicated after reopening').toBe(0)
    } finally {
      await second.stop()
    }
  })

  it('uses WAL mode and records the schema version once, however often it is reopened', async () => {
    for (let round = 0; round < 3; round++) {
      const store = new SqliteStore({ path })
      await store.start()
      await store.put(utf8(`round ${round}`), utf8('x'))
      await store.stop()
    }
    const { mode, versions } = inspect(path, (db) => ({
      mode: db.prepare('PRAGMA journal_mode').get()?.journal_mode,
      versions: db.prepare('SELECT version FROM schema_version ORDER BY version').all(),
    }))
    expect(mode).toBe('wal')
    expect(versions.map((row) => row.version)).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, index) => index + 1),
    )
  })

  it('refuses a database from a newer schema with SchemaVersionError naming both versions', async () => {
    const store = new SqliteStore({ path })
    await store.start()
    await store.put(utf8('k'), utf8('v'))
    await store.stop()
    const newer = SCHEMA_VERSION + 5
    inspect(path, (db) => db.prepare('INSERT INTO schema_version VALUES (?, 0)').run(newer))

    const error = await store.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SchemaVersionError)
    expect(error).toMatchObject({
      name: 'SchemaVersionError',
      code: 'ERR_SCHEMA_VERSION',
      found: newer,
      supported: SCHEMA_VERSION,
    })
    expect((error as Error).message).toContain(String(newer))
    expect((error as Error).message).toContain(String(SCHEMA_VERSION))
    expect(store.isStarted()).toBe(false)
    // Untouched: the data and the newer version are still there.
    expect(inspect(path, (db) => db.prepare('SELECT COUNT(*) AS n FROM kv').get()?.n)).toBe(1)
  })

  it('two stores on one file (two connections) write concurrently without losing anything', async () => {
    const [a, b] = [new SqliteStore({ path }), new SqliteStore({ path })]
    await Promise.all([a.start(), b.start()])
    try {
      const writes = Array.from({ length: 40 }, (_, n) => {
        const store = n % 2 === 0 ? a : b
        return Promise.all([
          store.put(utf8(`key ${n}`), utf8(`${n}`)),
          store.insert([message(n), message(n + 1)]),
        ])
      })
      const results = await Promise.all(writes)
      expect(results.reduce((sum, [, added]) => sum + added, 0)).toBe(41)
      expect(await a.count()).toBe(41)
      expect(await b.count()).toBe(41)
      let keys = 0
      for await (const _ of b.entries({ prefix: utf8('key ') })) keys += 1
      expect(keys).toBe(40)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })

  it('stores BASE-scale and extreme 64-bit timestamps exactly', async () => {
    const store = new SqliteStore({ path })
    await store.start()
    try {
      const extremes = [message(1, { timestamp: -(2n ** 63n) }), message(2, { timestamp: 2n ** 63n - 1n })]
      await store.insert([...extremes, message(3, { timestamp: BASE + 1n })])
      await store.stop()
      await store.start()
      const { messages } = await store.query({})
      expect(messages.map((item) => item.timestamp)).toEqual([-(2n ** 63n), BASE + 1n, 2n ** 63n - 1n])
    } finally {
      await store.stop()
    }
  })
})
