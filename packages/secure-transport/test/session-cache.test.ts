import { bytesToHex, generatePrivateKey } from '@parley/crypto'
import type { KeyValueStore } from '@parley/interfaces'
import { decodeProtocolMessage, ReplayError } from '@parley/secure-transport'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { ListCache, SessionBatch } from '../src/store-cache.ts'
import { Clock, type Device, device, FlakyStore, introduce, read, text } from './helpers.ts'

const started: Device[] = []
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

async function contents(store: KeyValueStore): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for await (const [key, value] of store.entries()) out.set(bytesToHex(key), bytesToHex(value))
  return out
}

async function copyOf(store: KeyValueStore): Promise<MemoryKeyValueStore> {
  const copy = new MemoryKeyValueStore()
  for await (const [key, value] of store.entries()) await copy.put(key, value)
  return copy
}

/** The same device started afresh (empty caches) on a copy of `original`'s store as it is now. */
async function twinOf(original: Device, clock: Clock): Promise<Device> {
  const twin = await device({
    store: await copyOf(original.store),
    identityKey: original.identityKey,
    now: clock.now,
  })
  started.push(twin)
  return twin
}

async function pair(clock: Clock, store?: KeyValueStore): Promise<{ alice: Device; bob: Device }> {
  const bob = await device({ identityKey: generatePrivateKey(), now: clock.now, ...(store ? { store } : {}) })
  const alice = await device({ now: clock.now })
  started.push(alice, bob)
  await introduce(bob, alice)
  return { alice, bob }
}

describe('the in-memory session cache', () => {
  it('after a failed write, holds what the store holds: a fresh start on the store reads the same', async () => {
    const clock = new Clock()
    const store = new FlakyStore()
    const { alice, bob } = await pair(clock, store)
    const sent: Uint8Array[] = []
    for (const body of ['m0', 'm1', 'm2', 'm3'])
      sent.push(await alice.transport.encrypt(bob.transport.identity, text(body)))
    const [m0, m1, m2, m3] = sent as [Uint8Array, Uint8Array, Uint8Array, Uint8Array]
    await bob.transport.decrypt(alice.transport.identity, m0)
    store.failures = 1
    await expect(bob.transport.decrypt(alice.transport.identity, m2)).rejects.toThrow('disk full')
    const twin = await twinOf(bob, clock)
    for (const [message, body] of [
      [m2, 'm2'],
      [m1, 'm1'],
      [m3, 'm3'],
    ] as const) {
      expect(read((await bob.transport.decrypt(alice.transport.identity, message)).plaintext)).toBe(body)
      expect(read((await twin.transport.decrypt(alice.transport.identity, message)).plaintext)).toBe(body)
    }
    expect(await contents(bob.store)).toEqual(await contents(twin.store))
    await expect(bob.transport.decrypt(alice.transport.identity, m1)).rejects.toThrow(ReplayError)
  })

  it('after a failed encryption write, sends what a fresh start on the store sends', async () => {
    const clock = new Clock()
    const store = new FlakyStore()
    const alice = await device({ store, identityKey: generatePrivateKey(), now: clock.now })
    const bob = await device({ now: clock.now })
    started.push(alice, bob)
    await introduce(bob, alice)
    await alice.transport.encrypt(bob.transport.identity, text('first'))
    store.failures = 1
    await expect(alice.transport.encrypt(bob.transport.identity, text('lost'))).rejects.toThrow('disk full')
    const twin = await twinOf(alice, clock)
    const entry = async (from: Device) =>
      decodeProtocolMessage(
        await from.transport.encrypt(bob.transport.identity, text('next')),
      ).encryptedMessage.get(bob.transport.installationId)
    const live = await entry(alice)
    expect(live?.dr?.n).toBe(1)
    expect(live).toEqual(await entry(twin))
    expect(await contents(alice.store)).toEqual(await contents(twin.store))
  })

  it('persists every message: a fresh start on the store continues where the live transport is', async () => {
    const clock = new Clock()
    const { alice, bob } = await pair(clock)
    for (let round = 0; round < 3; round++) {
      const skipped = await alice.transport.encrypt(bob.transport.identity, text(`skipped ${round}`))
      const next = await alice.transport.encrypt(bob.transport.identity, text(`next ${round}`))
      expect(read((await bob.transport.decrypt(alice.transport.identity, next)).plaintext)).toBe(
        `next ${round}`,
      )
      const twin = await twinOf(bob, clock)
      expect(await contents(twin.store)).toEqual(await contents(bob.store))
      // the skipped key is in the store as it is in memory
      for (const reader of [bob, twin]) {
        const got = await reader.transport.decrypt(alice.transport.identity, skipped)
        expect(read(got.plaintext)).toBe(`skipped ${round}`)
      }
      expect(await contents(twin.store)).toEqual(await contents(bob.store))
      await twin.transport.stop()
      // a reply makes the next round start with a DH-ratchet step on both sides
      await alice.transport.decrypt(
        bob.transport.identity,
        await bob.transport.encrypt(alice.transport.identity, text('ok')),
      )
    }
  })

  it('is dropped on start, so writes made while stopped are seen', async () => {
    const clock = new Clock()
    const { alice, bob } = await pair(clock)
    const m0 = await alice.transport.encrypt(bob.transport.identity, text('m0'))
    await bob.transport.decrypt(
      alice.transport.identity,
      await alice.transport.encrypt(bob.transport.identity, text('m1')),
    )
    await bob.transport.stop()
    // another process of the same device reads m0 from the same store while this one is stopped
    const other = await device({ store: bob.store, identityKey: bob.identityKey, now: clock.now })
    await other.transport.decrypt(alice.transport.identity, m0)
    await other.transport.stop()
    await bob.transport.start()
    await expect(bob.transport.decrypt(alice.transport.identity, m0)).rejects.toThrow(ReplayError)
  })
})

describe('ListCache', () => {
  const entries = (pairs: Array<[string, number]>) => async () => pairs

  it('applies a write only once its batch commits, and keeps store order', async () => {
    const store = new FlakyStore()
    const cache = new ListCache<number>()
    expect(await cache.list('p/', entries([['b', 2]]))).toEqual([2])
    const failing = new SessionBatch(store.batch())
    cache.set(failing, 'p/', 'a', 1)
    store.failures = 1
    await expect(failing.commit()).rejects.toThrow('disk full')
    expect(await cache.list('p/', entries([]))).toEqual([2])
    const batch = new SessionBatch(store.batch())
    cache.set(batch, 'p/', 'a', 1)
    cache.set(batch, 'p/', 'c', 3)
    await batch.commit()
    expect(await cache.list('p/', entries([]))).toEqual([1, 2, 3])
  })

  it('does not keep a load that a write overtook', async () => {
    const cache = new ListCache<number>()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const loading = cache.list('p/', async () => {
      await gate
      return [['a', 1]]
    })
    const batch = new SessionBatch(new MemoryKeyValueStore().batch())
    cache.set(batch, 'p/', 'a', 2)
    await batch.commit()
    release()
    expect(await loading).toEqual([1])
    expect(await cache.list('p/', entries([['a', 2]]))).toEqual([2])
  })
})
