import { fakeComponents, message, oldestFirst, pageAll } from '@parley/compliance-tests'
import { type PostgresStore, postgresStore, SchemaVersionError, StoreFullError } from '@parley/store-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema, freshSchema } from './schemas.ts'
import { type TestServer, testServer } from './server.ts'

let server: TestServer
beforeAll(async () => {
  server = await testServer()
}, 60_000)
afterAll(() => server?.stop())

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

describe('PostgresStore', () => {
  it('turns disk_full into StoreFullError, counts it, and keeps what was stored', async () => {
    const schema = freshSchema()
    const components = fakeComponents()
    const store = postgresStore({ url: server.url, schema }).create(components) as PostgresStore
    await store.start()
    try {
      const stored = Array.from({ length: 10 }, (_, n) => message(n))
      await store.insert(stored)
      // The server reports a full disk as SQLSTATE 53100; a trigger raises exactly that.
      await sql(`
        CREATE FUNCTION "${schema}".refuse_write() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$;
        CREATE TRIGGER refuse_write BEFORE INSERT ON "${schema}".messages FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_write();
        CREATE TRIGGER refuse_write BEFORE INSERT ON "${schema}".kv FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_write();
      `)
      const error = await store.insert([message(100), message(101)]).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(StoreFullError)
      expect((error as StoreFullError).code).toBe('ERR_STORE_FULL')
      const kvError = await store
        .batch()
        .put(new Uint8Array([1]), new Uint8Array([2]))
        .commit()
        .catch((caught: unknown) => caught)
      expect(kvError).toBeInstanceOf(StoreFullError)
      expect(components.recorded.get('parley_store_write_errors_total{store="postgres",reason="full"}')).toBe(
        2,
      )
      expect(await store.count()).toBe(10)
      expect((await pageAll(store, { limit: 3 })).keys).toEqual(oldestFirst(stored))
      expect(await store.has(new Uint8Array([1]))).toBe(false)
    } finally {
      await store.stop()
      await dropSchema(server.url, schema)
    }
  })

  it('refuses a schema migrated by a newer version, leaving it untouched', async () => {
    const schema = freshSchema()
    const store = postgresStore({ url: server.url, schema }).create(fakeComponents()) as PostgresStore
    await store.start()
    await store.stop()
    await sql(`INSERT INTO "${schema}".schema_version (version) VALUES (99)`)
    const error = await store.start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SchemaVersionError)
    expect((error as SchemaVersionError).found).toBe(99)
    expect(store.isStarted()).toBe(false)
    await dropSchema(server.url, schema)
  })

  it('keeps stores in different schemas of one database apart', async () => {
    const [a, b] = [freshSchema(), freshSchema()]
    const first = postgresStore({ url: server.url, schema: a }).create(fakeComponents()) as PostgresStore
    const second = postgresStore({ url: server.url, schema: b }).create(fakeComponents()) as PostgresStore
    await Promise.all([first.start(), second.start()])
    try {
      await first.insert([message(1), message(2)])
      await second.put(new Uint8Array([7]), new Uint8Array([8]))
      expect(await second.count()).toBe(0)
      expect(await first.has(new Uint8Array([7]))).toBe(false)
      expect(await first.count()).toBe(2)
    } finally {
      await Promise.all([first.stop(), second.stop()])
      await Promise.all([dropSchema(server.url, a), dropSchema(server.url, b)])
    }
  })
})
