import { BASE, compareBytes, message, toHex } from '@parley/compliance-tests'
import { keyValueStore, messageArchive } from '@parley/interfaces'
import { SqliteStore, sqliteStore } from '@parley/store-sqlite'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DRIVERS } from './drivers.ts'

const encoder = new TextEncoder()
const utf8 = (text: string) => encoder.encode(text)
/** Passes `slice()` in the batch, then fails to bind: an error in the middle of the transaction. */
const unbindable = { slice: () => ({}) } as unknown as Uint8Array

async function keysOf(iterable: AsyncIterable<[Uint8Array, Uint8Array]>): Promise<string[]> {
  const keys: string[] = []
  for await (const [key] of iterable) keys.push(toHex(key))
  return keys
}

describe('sqliteStore plugin', () => {
  it('provides both storage capabilities under the name store-sqlite', () => {
    const plugin = sqliteStore({ path: ':memory:' })
    expect(plugin.name).toBe('store-sqlite')
    expect(plugin.provides).toEqual([keyValueStore, messageArchive])
  })

  it('rejects bad options where they are written', () => {
    expect(() => sqliteStore({ path: '' })).toThrow(/path/)
    expect(() => sqliteStore({ path: ':memory:', maxPageSize: 0 })).toThrow(/maxPageSize/)
    expect(() => sqliteStore({ path: ':memory:', busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs/)
  })
})

describe.each(DRIVERS)('SqliteStore (%s)', (driver) => {
  let store: SqliteStore
  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:', driver })
    await store.start()
  })
  afterEach(() => store.stop())

  it('rejects every operation with NotStartedError before start and after stop', async () => {
    const idle = new SqliteStore({ path: ':memory:', driver })
    for (const run of [
      () => idle.get(utf8('k')),
      () => idle.put(utf8('k'), utf8('v')),
      () => idle.batch().put(utf8('k'), utf8('v')).commit(),
      () => keysOf(idle.entries()),
      () => idle.insert([message(1)]),
      () => idle.query({}),
      () => idle.size(),
    ]) {
      await expect(run()).rejects.toMatchObject({ name: 'NotStartedError', code: 'ERR_NOT_STARTED' })
    }
    await store.stop()
    await expect(store.count()).rejects.toMatchObject({ name: 'NotStartedError' })
  })

  it('rolls a batch back whole when a write fails halfway, and keeps working', async () => {
    await store.put(utf8('keep'), utf8('v'))
    const batch = store.batch().put(utf8('a'), utf8('1')).delete(utf8('keep')).put(utf8('b'), unbindable)
    await expect(batch.commit()).rejects.toBeInstanceOf(Error)
    expect(await store.has(utf8('a'))).toBe(false)
    expect(await store.get(utf8('keep'))).toEqual(utf8('v'))
    await store.batch().put(utf8('c'), utf8('3')).commit()
    expect(await store.get(utf8('c'))).toEqual(utf8('3'))
  })

  it('rolls an insert back whole when a message fails halfway', async () => {
    const broken = { ...message(2), data: unbindable }
    await expect(store.insert([message(1), broken, message(3)])).rejects.toBeInstanceOf(Error)
    expect(await store.count()).toBe(0)
    expect(await store.insert([message(1), message(3)])).toBe(2)
  })

  it('rejects timestamps outside the signed 64-bit range instead of mangling them', async () => {
    for (const timestamp of [2n ** 63n, -(2n ** 63n) - 1n]) {
      await expect(store.insert([message(1, { timestamp })])).rejects.toMatchObject({
        name: 'InvalidParametersError',
      })
    }
    await expect(
      store.query({ cursor: { timestamp: 2n ** 64n, hash: new Uint8Array(32) } }),
    ).rejects.toMatchObject({ name: 'InvalidParametersError' })
    expect(await store.count()).toBe(0)
  })

  it('treats query bounds and deleteOlderThan beyond 64 bits as bounds, not errors', async () => {
    await store.insert([message(1), message(2, { timestamp: 2n ** 63n - 1n })])
    expect(await store.count({ from: 2n ** 64n })).toBe(0)
    expect(await store.count({ to: -(2n ** 64n) })).toBe(0)
    expect(await store.count({ from: -(2n ** 64n), to: 2n ** 64n })).toBe(2)
    expect(await store.deleteOlderThan(-(2n ** 64n))).toBe(0)
    expect(await store.deleteOlderThan(2n ** 64n)).toBe(2)
  })

  it('an empty hash list matches nothing; hashes of any length are looked up exactly', async () => {
    const odd = { ...message(1), hash: Uint8Array.of(0x00, 0xff, 0x10) }
    await store.insert([odd, message(2)])
    expect(await store.count({ hashes: [] })).toBe(0)
    expect(await store.count({ hashes: [Uint8Array.of(0x00, 0xff, 0x10)] })).toBe(1)
    expect(await store.count({ hashes: [Uint8Array.of(0x00, 0xff)] })).toBe(0)
  })

  it('size is the sum of stored data lengths', async () => {
    await store.insert([message(1, { data: new Uint8Array(300) }), message(2, { data: new Uint8Array(700) })])
    expect(await store.size()).toBe(1000)
    await store.deleteOlderThan(BASE + 2n)
    expect(await store.size()).toBe(700)
  })

  it('entries page through many keys in order, in reverse, with limits, while the caller mutates keys', async () => {
    const keys = Array.from({ length: 700 }, (_, n) => Uint8Array.of(n >> 8, n & 0xff))
    const batch = store.batch()
    for (const key of keys) batch.put(key, key)
    await batch.commit()
    const ascending = keys.map(toHex)
    const seen: string[] = []
    for await (const [key] of store.entries()) {
      seen.push(toHex(key))
      key.fill(0) // must not disturb where the next chunk starts
    }
    expect(seen).toEqual(ascending)
    expect(await keysOf(store.entries({ reverse: true, limit: 300 }))).toEqual(
      [...ascending].reverse().slice(0, 300),
    )
    expect(await keysOf(store.entries({ prefix: Uint8Array.of(0x01) }))).toEqual(ascending.slice(256, 512))
  })

  it('entries with a prefix match a model on random keys (property)', async () => {
    const key = fc.uint8Array({ minLength: 0, maxLength: 4, min: 0xfd, max: 0xff })
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { selector: toHex, maxLength: 30 }), key, async (keys, prefix) => {
        for await (const [stored] of store.entries()) await store.delete(stored)
        for (const stored of keys) await store.put(stored, stored)
        const expected = keys
          .filter((stored) => toHex(stored).startsWith(toHex(prefix)))
          .sort(compareBytes)
          .map(toHex)
        expect(await keysOf(store.entries({ prefix }))).toEqual(expected)
        expect(await keysOf(store.entries({ prefix, reverse: true }))).toEqual([...expected].reverse())
      }),
      { numRuns: 60 },
    )
  })
})
