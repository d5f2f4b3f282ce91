import type { KeyValueStore, MessageArchive } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  BASE,
  hashOf,
  keyOf,
  message,
  oldestFirst,
  pageAll,
  tiedMessages,
  topicBloom,
} from './archive-fixtures.ts'
import { toHex, utf8 } from './bytes.ts'
import { type Check, caught, runCheck, type TestSetup } from './setup.ts'

/** A store holding both capabilities in one location (a file, a directory, a database schema). */
export type PersistentStore = KeyValueStore & MessageArchive

/** Opens a new, not yet started store on the location the setup made; call it as often as needed. */
export type OpenStore = () => PersistentStore

export interface PersistentStoreSuiteOptions {
  /**
   * Whether two instances may have the location open at once (SQLite files and PostgreSQL do;
   * LevelDB locks its directory). When false, the suite checks that the second instance fails to
   * start with a typed error instead.
   */
  sharedLocation: boolean
}

/** Starts a store from `open`, runs `work` on it and always stops it. */
async function using<T>(open: OpenStore, work: (store: PersistentStore) => Promise<T>): Promise<T> {
  const store = open()
  await store.start()
  try {
    return await work(store)
  } finally {
    await store.stop()
  }
}

async function keysOf(store: KeyValueStore): Promise<string[]> {
  const keys: string[] = []
  for await (const [key, value] of store.entries()) keys.push(`${toHex(key)}=${toHex(value)}`)
  return keys
}

function overlappingBatches(batches: number, first = 0) {
  // Batch i holds messages 3i … 3i+4, so neighbours overlap by two.
  return Array.from({ length: batches }, (_, batch) =>
    Array.from({ length: 5 }, (_, offset) => {
      const n = first + batch * 3 + offset
      return message(n, { timestamp: BASE + BigInt(n % 7) })
    }),
  )
}

function distinctKeys(batches: ReturnType<typeof overlappingBatches>): string[] {
  return oldestFirst([...new Map(batches.flat().map((m) => [toHex(m.hash), m])).values()])
}

/**
 * What a store that persists must keep across `stop` and a new instance on the same location, and
 * what concurrent writers may not break. Each check gets an `open` function on a fresh location.
 */
export function persistentStoreChecks(
  options: PersistentStoreSuiteOptions,
): Record<string, Check<OpenStore>> {
  const checks: Record<string, Check<OpenStore>> = {
    'everything written before stop is there after reopening, and writing goes on': async (open) => {
      const all = tiedMessages(40, 8)
      await using(open, async (store) => {
        await store.put(utf8('single'), utf8('1'))
        await store.batch().put(utf8('batch/a'), utf8('2')).put(utf8('batch/b'), utf8('3')).commit()
        await store.delete(utf8('single'))
        expect(await store.insert(all.slice(0, 25))).toBe(25)
        expect(await store.insert(all.slice(20))).toBe(15)
        expect(await store.deleteOlderThan(BASE + 1n)).toBe(5)
      })
      const kept = all.filter((item) => item.timestamp >= BASE + 1n)
      await using(open, async (store) => {
        expect(await keysOf(store)).toEqual([
          `${toHex(utf8('batch/a'))}=${toHex(utf8('2'))}`,
          `${toHex(utf8('batch/b'))}=${toHex(utf8('3'))}`,
        ])
        expect(await store.count()).toBe(kept.length)
        expect((await pageAll(store, { limit: 7 })).keys).toEqual(oldestFirst(kept))
        expect(await store.size()).toBeGreaterThan(0)
        // The hash index survived too: re-inserting stored messages adds nothing.
        expect(await store.insert(kept.slice(0, 10))).toBe(0)
        expect(await store.insert([message(1000)])).toBe(1)
      })
      await using(open, async (store) => expect(await store.count()).toBe(kept.length + 1))
    },

    'topic and bloom queries find what an earlier instance stored': async (open) => {
      const stored = [
        ...tiedMessages(6, 3, 0, { topic: 'cafe0001' }),
        ...tiedMessages(6, 3, 10, { topic: '01020304' }),
        ...tiedMessages(6, 3, 20, { topic: 'topic-a' }),
      ]
      await using(open, async (store) => {
        await store.insert(stored)
      })
      await using(open, async (store) => {
        const only = (topic: string) => oldestFirst(stored.filter((item) => item.topic === topic))
        expect((await pageAll(store, { topics: ['01020304'], limit: 4 })).keys).toEqual(only('01020304'))
        expect((await pageAll(store, { bloom: topicBloom('cafe0001'), limit: 4 })).keys).toEqual(
          only('cafe0001'),
        )
        // A topic first seen by this instance is found by bloom too.
        const later = message(500, { topic: 'abcdef12' })
        await store.insert([later])
        expect((await store.query({ bloom: topicBloom('abcdef12') })).messages.map(keyOf)).toEqual([
          keyOf(later),
        ])
      })
    },

    'reopening many times changes nothing (migrations are idempotent)': async (open) => {
      await using(open, async (store) => {
        await store.insert(tiedMessages(10, 2))
        await store.put(utf8('k'), utf8('v'))
      })
      for (let round = 0; round < 3; round++) {
        await using(open, async (store) => {
          expect(await store.count()).toBe(10)
          expect(await store.get(utf8('k'))).toEqual(utf8('v'))
        })
      }
    },

    'concurrent batches, inserts and reads on one instance interleave safely and land whole': async (
      open,
    ) => {
      const batches = overlappingBatches(30)
      await using(open, async (store) => {
        const writes = batches.map(async (batch, index) => {
          const kv = store.batch()
          for (const item of batch) kv.put(item.hash, utf8(`batch ${index}`))
          await kv.commit()
          return store.insert(batch)
        })
        const reads = batches.map(() => store.query({ limit: 10 }))
        const added = await Promise.all(writes)
        await Promise.all(reads)
        const expected = distinctKeys(batches)
        expect(added.reduce((sum, value) => sum + value, 0)).toBe(expected.length)
        expect((await pageAll(store, { limit: 9 })).keys).toEqual(expected)
        expect((await keysOf(store)).length).toBe(expected.length)
      })
      await using(open, async (store) => expect(await store.count()).toBe(distinctKeys(batches).length))
    },
  }

  if (options.sharedLocation) {
    checks['two instances on one location write concurrently, lose nothing and double-count nothing'] =
      async (open) => {
        const batches = overlappingBatches(40)
        const [a, b] = [open(), open()]
        await a.start()
        await b.start()
        try {
          const added = await Promise.all(
            batches.map((batch, index) => (index % 2 === 0 ? a : b).insert(batch)),
          )
          await Promise.all(
            batches.map((_, index) => (index % 2 === 0 ? b : a).put(hashOf(index), utf8('x'))),
          )
          const expected = distinctKeys(batches)
          expect(added.reduce((sum, value) => sum + value, 0)).toBe(expected.length)
          for (const store of [a, b]) {
            expect((await pageAll(store, { limit: 25 })).keys).toEqual(expected)
            expect((await keysOf(store)).length).toBe(batches.length)
          }
        } finally {
          await a.stop()
          await b.stop()
        }
      }
  } else {
    checks['a second instance on a location in use fails to start with a typed error; the first goes on'] =
      async (open) => {
        await using(open, async (first) => {
          await first.insert([message(1)])
          const second = open()
          const error = (await caught(() => second.start())) as { code?: unknown } | undefined
          expect(error, 'the second start rejects').toBeDefined()
          expect(typeof error?.code, 'with a stable code').toBe('string')
          expect(second.isStarted?.() ?? false).toBe(false)
          await second.stop()
          expect(await first.insert([message(2)])).toBe(1)
          expect(await first.count()).toBe(2)
        })
      }
  }
  return checks
}

/**
 * Runs the persistence checks. `setup` makes a fresh location and returns a function opening new
 * (unstarted) stores on it; `teardown` removes the location. Checks start and stop stores themselves.
 */
export function persistentStoreSuite(
  name: string,
  setup: TestSetup<OpenStore>,
  options: PersistentStoreSuiteOptions,
): void {
  describe(`${name}: persistence and concurrency compliance`, () => {
    for (const [title, check] of Object.entries(persistentStoreChecks(options)))
      it(title, runCheck<OpenStore>(setup, check))
  })
}
