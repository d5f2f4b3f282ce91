import { bytesToHex, utf8ToBytes } from '@parley/crypto'
import { describe, expect, it } from 'vitest'
import { MvdsNode, MvdsPersistence } from '../src/index.ts'
import { GROUP, MapStore } from './support.ts'

function snapshotOf(node: MvdsNode) {
  return {
    epoch: node.epoch,
    records: node.state.all().map((r) => ({ ...r, messageId: bytesToHex(r.messageId) })),
    held: node.held.entries().map((h) => bytesToHex(h.messageId)),
    peers: node.peersOf(GROUP),
  }
}

describe('MvdsPersistence', () => {
  it('saves changes and loads them back into an equal node', async () => {
    const store = new MapStore()
    const persistence = new MvdsPersistence(store, 'alice')
    const node = new MvdsNode({ ordering: 'consistent', schedule: { random: () => 0 } })
    node.addPeer(GROUP, 'bob/with/slashes')
    node.append(GROUP, Uint8Array.of(1), 10n)
    const second = node.append(GROUP, Uint8Array.of(2), 10n)
    node.tick(3)
    await persistence.save(node.takeChanges())

    const { snapshot, corrupt } = await persistence.load()
    expect(corrupt).toBe(0)
    const restored = new MvdsNode({ ordering: 'consistent', snapshot })
    expect(snapshotOf(restored)).toEqual(snapshotOf(node))
    expect(restored.getMessage(second)?.metadata?.parents).toHaveLength(1)
    // The restored head keeps the sender's chain going.
    const third = restored.append(GROUP, Uint8Array.of(3), 10n)
    expect(bytesToHex(restored.getMessage(third)?.metadata?.parents[0] ?? new Uint8Array())).toBe(
      bytesToHex(second),
    )

    // Acknowledged records are deleted from the store.
    restored.onPayload('bob/with/slashes', {
      acks: restored.state.all().map((r) => r.messageId),
      offers: [],
      requests: [],
      messages: [],
      groupOffers: [],
    })
    await persistence.save(restored.takeChanges())
    expect((await persistence.load()).snapshot.records).toEqual([])
  })

  it('keeps namespaces apart and skips unreadable entries', async () => {
    const store = new MapStore()
    const node = new MvdsNode()
    node.addPeer(GROUP, 'bob')
    node.append(GROUP, Uint8Array.of(1), 1n)
    await new MvdsPersistence(store, 'alice').save(node.takeChanges())
    expect((await new MvdsPersistence(store, 'carol').load()).snapshot.messages).toEqual([])

    await store.put(utf8ToBytes('/mvds/alice/rec/00/bob'), utf8ToBytes('{"type":"NOPE"}'))
    await store.put(utf8ToBytes('/mvds/alice/epoch'), utf8ToBytes('-3'))
    await store.put(utf8ToBytes('/mvds/alice/msg/00'), Uint8Array.of(0xff))
    await store.put(utf8ToBytes('/mvds/alice/whatever'), Uint8Array.of(1))
    const { snapshot, corrupt } = await new MvdsPersistence(store, 'alice').load()
    expect(corrupt).toBe(4)
    expect(snapshot.records).toHaveLength(1)
    expect(snapshot.messages).toHaveLength(1)
  })
})
