import { generatePrivateKey } from '@parley/crypto'
import type { KeyValueBatch } from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { Clock, type Device, device, introduce, text } from './helpers.ts'

/** Counts the installation records written. */
class CountingStore extends MemoryKeyValueStore {
  installationWrites = 0

  override batch(): KeyValueBatch {
    const inner = super.batch()
    const batch: KeyValueBatch = {
      put: (key, value) => {
        if (new TextDecoder().decode(key).includes('/installation/')) this.installationWrites++
        inner.put(key, value)
        return batch
      },
      delete: (key) => {
        inner.delete(key)
        return batch
      },
      commit: (options) => inner.commit(options),
    }
    return batch
  }
}

const started: Device[] = []
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

describe('bundles that arrive with every message', () => {
  it('are not written again when only their timestamp moved, by less than a minute', async () => {
    const clock = new Clock()
    const store = new CountingStore()
    const bob = await device({ store, identityKey: generatePrivateKey(), now: clock.now })
    const alice = await device({ now: clock.now })
    started.push(alice, bob)
    await introduce(bob, alice)
    const first = await bob.transport.decrypt(
      alice.transport.identity,
      await alice.transport.encrypt(bob.transport.identity, text('first')),
    )
    expect(first.installations).toEqual([alice.transport.installationId])
    const seen = async () => (await bob.transport.installations(alice.transport.identity))[0]?.timestamp
    const firstSeen = await seen()
    expect(firstSeen).toBe(BigInt(clock.ms) * 1_000_000n)

    const writes = store.installationWrites
    clock.advance(59_000)
    const later = await bob.transport.decrypt(
      alice.transport.identity,
      await alice.transport.encrypt(bob.transport.identity, text('later')),
    )
    expect(later.installations).toEqual([])
    expect(await seen()).toBe(firstSeen)
    expect(store.installationWrites).toBe(writes)

    // past the minute: the newer timestamp is stored
    clock.advance(2_000)
    const afterMinute = await bob.transport.decrypt(
      alice.transport.identity,
      await alice.transport.encrypt(bob.transport.identity, text('after a minute')),
    )
    expect(afterMinute.installations).toEqual([alice.transport.installationId])
    expect(store.installationWrites).toBe(writes + 1)
    expect(await seen()).toBe(BigInt(clock.ms) * 1_000_000n)
  })
})
