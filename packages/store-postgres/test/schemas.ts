import type { OpenStore, TestSetup } from '@parley/compliance-tests'
import { PostgresStore, type PostgresStoreInit } from '@parley/store-postgres'
import pg from 'pg'

let counter = 0

/** A schema name no other test (in this run or a concurrent one) uses. */
export function freshSchema(): string {
  counter += 1
  return `parley_test_${process.pid}_${Date.now().toString(36)}_${counter}`
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

type Init = Omit<PostgresStoreInit, 'url' | 'schema'>

/** A store on a fresh schema per test, dropped afterwards. `url` is read when a test runs. */
export function inSchema(url: () => string, init: Init = {}): TestSetup<PostgresStore> {
  const schemas = new Map<PostgresStore, string>()
  return {
    setup: async () => {
      const schema = freshSchema()
      const store = new PostgresStore({ ...init, url: url(), schema })
      schemas.set(store, schema)
      return store
    },
    teardown: async (store) => {
      await store.stop()
      await dropSchema(url(), schemas.get(store) ?? '')
      schemas.delete(store)
    },
  }
}

/** A fresh schema per test; `open` makes a new store on it each call. */
export function reopenable(url: () => string): TestSetup<OpenStore> {
  const schemas = new Map<OpenStore, string>()
  return {
    setup: async () => {
      const schema = freshSchema()
      const open = () => new PostgresStore({ url: url(), schema })
      schemas.set(open, schema)
      return open
    },
    teardown: async (open) => {
      await dropSchema(url(), schemas.get(open) ?? '')
      schemas.delete(open)
    },
  }
}
