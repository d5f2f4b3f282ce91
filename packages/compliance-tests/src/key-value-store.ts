import type { KeyValueStore } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { bytes, compareBytes, seededRandom, shuffled, toHex, utf8 } from './bytes.ts'
import { type Check, caught, runCheck, type TestSetup } from './setup.ts'

async function collect(iterable: AsyncIterable<[Uint8Array, Uint8Array]>): Promise<string[]> {
  const keys: string[] = []
  for await (const [key] of iterable) keys.push(toHex(key))
  return keys
}

async function putAll(store: KeyValueStore, keys: readonly Uint8Array[]): Promise<void> {
  for (const key of keys) await store.put(key, utf8(toHex(key)))
}

/** Keys whose unsigned order differs from signed order, from string order, and from length order. */
const TRICKY_KEYS = [
  bytes(0x00),
  bytes(0x00, 0x00),
  bytes(0x01),
  bytes(0x01, 0x00),
  bytes(0x01, 0xff),
  bytes(0x7f),
  bytes(0x80),
  bytes(0x80, 0x00),
  bytes(0xfe, 0xff),
  bytes(0xff),
  bytes(0xff, 0x00),
  bytes(0xff, 0xff),
  bytes(0xff, 0xff, 0xff),
]

function sortedHex(keys: readonly Uint8Array[]): string[] {
  return [...keys].sort(compareBytes).map(toHex)
}

/** The `KeyValueStore` contract. Each check gets a started, empty store. */
export const keyValueStoreChecks: Record<string, Check<KeyValueStore>> = {
  'get of a missing key resolves to undefined': async (store) => {
    expect(await store.get(utf8('missing'))).toBeUndefined()
    expect(await store.has(utf8('missing'))).toBe(false)
  },

  'put then get returns the value, and put overwrites': async (store) => {
    await store.put(utf8('k'), utf8('one'))
    expect(await store.get(utf8('k'))).toEqual(utf8('one'))
    await store.put(utf8('k'), utf8('two'))
    expect(await store.get(utf8('k'))).toEqual(utf8('two'))
    expect(await store.has(utf8('k'))).toBe(true)
  },

  'delete removes a key, and deleting a missing key is fine': async (store) => {
    await store.put(utf8('k'), utf8('v'))
    await store.delete(utf8('k'))
    expect(await store.get(utf8('k'))).toBeUndefined()
    expect(await store.has(utf8('k'))).toBe(false)
    await store.delete(utf8('never-there'))
  },

  'keys are binary: 0x00, 0xff and keys that prefix each other are distinct': async (store) => {
    await putAll(store, TRICKY_KEYS)
    for (const key of TRICKY_KEYS) expect(await store.get(key)).toEqual(utf8(toHex(key)))
    expect(await collect(store.entries())).toHaveLength(TRICKY_KEYS.length)
  },

  'an empty value is stored and read back as empty, not missing': async (store) => {
    await store.put(bytes(1), new Uint8Array(0))
    const value = await store.get(bytes(1))
    expect(value).toBeInstanceOf(Uint8Array)
    expect(value?.length).toBe(0)
    expect(await store.has(bytes(1))).toBe(true)
  },

  'stores copies: changing a buffer after put or get changes nothing': async (store) => {
    const key = bytes(1, 2, 3)
    const value = bytes(4, 5, 6)
    await store.put(key, value)
    key[0] = 9
    value[0] = 9
    const read = await store.get(bytes(1, 2, 3))
    expect(read).toEqual(bytes(4, 5, 6))
    if (read !== undefined) read[1] = 9
    expect(await store.get(bytes(1, 2, 3))).toEqual(bytes(4, 5, 6))
  },

  'a batch applies nothing before commit, everything after, in order': async (store) => {
    await store.put(utf8('old'), utf8('x'))
    const batch = store
      .batch()
      .put(utf8('a'), utf8('1'))
      .put(utf8('b'), utf8('2'))
      .delete(utf8('old'))
      .put(utf8('gone'), utf8('3'))
      .delete(utf8('gone'))
      .delete(utf8('back'))
      .put(utf8('back'), utf8('4'))
    expect(await store.has(utf8('a'))).toBe(false)
    expect(await store.has(utf8('old'))).toBe(true)
    await batch.commit()
    expect(await store.get(utf8('a'))).toEqual(utf8('1'))
    expect(await store.get(utf8('b'))).toEqual(utf8('2'))
    expect(await store.has(utf8('old'))).toBe(false)
    expect(await store.has(utf8('gone'))).toBe(false)
    expect(await store.get(utf8('back'))).toEqual(utf8('4'))
  },

  'a batch commit is all or nothing: an aborted commit applies nothing': async (store) => {
    await store.put(utf8('keep'), utf8('v'))
    const batch = store.batch().put(utf8('a'), utf8('1')).delete(utf8('keep')).put(utf8('b'), utf8('2'))
    const error = await caught(() => batch.commit({ signal: AbortSignal.abort() }))
    expect((error as Error | undefined)?.name).toBe('AbortError')
    expect(await store.has(utf8('a'))).toBe(false)
    expect(await store.has(utf8('b'))).toBe(false)
    expect(await store.has(utf8('keep'))).toBe(true)
  },

  'entries iterate in unsigned lexicographic byte order': async (store) => {
    const random = seededRandom(7)
    const randomKeys = Array.from({ length: 40 }, () =>
      Uint8Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * 256)),
    )
    const keys = [...new Map([...TRICKY_KEYS, ...randomKeys].map((key) => [toHex(key), key])).values()]
    await putAll(store, shuffled(keys, random))
    expect(await collect(store.entries())).toEqual(sortedHex(keys))
    const values: string[] = []
    for await (const [key, value] of store.entries())
      values.push(`${toHex(key)}=${new TextDecoder().decode(value)}`)
    expect(values).toEqual(sortedHex(keys).map((hex) => `${hex}=${hex}`))
  },

  'entries with a prefix yield exactly the keys that start with it, including 0xff prefixes': async (
    store,
  ) => {
    await putAll(store, TRICKY_KEYS)
    const startsWith = (prefix: Uint8Array) =>
      TRICKY_KEYS.filter(
        (key) => key.length >= prefix.length && prefix.every((byte, index) => key[index] === byte),
      )
    for (const prefix of [
      bytes(0x01),
      bytes(0xff),
      bytes(0xff, 0xff),
      bytes(0x00),
      bytes(0x80),
      bytes(0x42),
    ]) {
      expect(await collect(store.entries({ prefix })), `prefix ${toHex(prefix)}`).toEqual(
        sortedHex(startsWith(prefix)),
      )
    }
    expect(await collect(store.entries({ prefix: new Uint8Array(0) }))).toEqual(sortedHex(TRICKY_KEYS))
  },

  'entries in reverse, with limit, and with both': async (store) => {
    await putAll(store, TRICKY_KEYS)
    const ascending = sortedHex(TRICKY_KEYS)
    expect(await collect(store.entries({ reverse: true }))).toEqual([...ascending].reverse())
    expect(await collect(store.entries({ limit: 3 }))).toEqual(ascending.slice(0, 3))
    expect(await collect(store.entries({ reverse: true, limit: 2 }))).toEqual(
      [...ascending].reverse().slice(0, 2),
    )
    expect(await collect(store.entries({ prefix: bytes(0xff), reverse: true, limit: 2 }))).toEqual([
      'ffffff',
      'ffff',
    ])
    expect(await collect(store.entries({ limit: 0 }))).toEqual([])
  },

  'entries of an empty store, or an unmatched prefix, yield nothing': async (store) => {
    expect(await collect(store.entries())).toEqual([])
    await store.put(bytes(1), bytes(1))
    expect(await collect(store.entries({ prefix: bytes(2) }))).toEqual([])
  },

  'concurrent writes all land': async (store) => {
    const keys = Array.from({ length: 100 }, (_, index) => utf8(`key-${String(index).padStart(3, '0')}`))
    await Promise.all(keys.map((key) => store.put(key, key)))
    await Promise.all(keys.slice(0, 10).map((key) => store.delete(key)))
    expect(await collect(store.entries())).toEqual(keys.slice(10).map(toHex))
  },

  'an aborted signal rejects every operation with AbortError': async (store) => {
    await store.put(bytes(1), bytes(1))
    const signal = AbortSignal.abort()
    const operations: Record<string, () => unknown> = {
      get: () => store.get(bytes(1), { signal }),
      put: () => store.put(bytes(2), bytes(2), { signal }),
      delete: () => store.delete(bytes(1), { signal }),
      has: () => store.has(bytes(1), { signal }),
      entries: () => collect(store.entries({ signal })),
    }
    for (const [operation, run] of Object.entries(operations)) {
      const error = await caught(run)
      expect((error as Error | undefined)?.name, `${operation} with an aborted signal`).toBe('AbortError')
    }
    expect(await store.has(bytes(2))).toBe(false)
    expect(await store.has(bytes(1))).toBe(true)
  },
}

/**
 * Runs the key-value store checks. `setup` returns a fresh, empty store; the suite starts it before
 * each check and stops it (then calls `teardown`) after.
 */
export function keyValueStoreSuite<T extends KeyValueStore>(name: string, setup: TestSetup<T>): void {
  describe(`${name}: key-value store compliance`, () => {
    for (const [title, check] of Object.entries(keyValueStoreChecks))
      it(title, runCheck<T>(setup, check, true))
  })
}
