import {
  keyValueStoreSuite,
  lifecycleSuite,
  messageArchiveSuite,
  pluginSuite,
} from '@parley/compliance-tests'
import { keyValueStore, messageArchive } from '@parley/interfaces'
import { MemoryKeyValueStore, MemoryMessageArchive, MemoryStore, memoryStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'

const discard = async () => {}

keyValueStoreSuite('MemoryKeyValueStore', { setup: async () => new MemoryKeyValueStore(), teardown: discard })
messageArchiveSuite('MemoryMessageArchive', {
  setup: async () => new MemoryMessageArchive(),
  teardown: discard,
})
// A small page cap makes every query page, exercising cursors on the default path too.
messageArchiveSuite('MemoryMessageArchive (maxPageSize 4)', {
  setup: async () => new MemoryMessageArchive({ maxPageSize: 4 }),
  teardown: discard,
})
keyValueStoreSuite('MemoryStore', { setup: async () => new MemoryStore(), teardown: discard })
messageArchiveSuite('MemoryStore', { setup: async () => new MemoryStore(), teardown: discard })
lifecycleSuite('MemoryStore', { setup: async () => new MemoryStore(), teardown: discard })
pluginSuite('memoryStore', () => memoryStore())

describe('memoryStore plugin', () => {
  it('provides both storage capabilities', () => {
    const plugin = memoryStore()
    expect(plugin.name).toBe('store-memory')
    expect(plugin.provides).toEqual([keyValueStore, messageArchive])
  })

  it('rejects nonsensical limits where they are written', () => {
    expect(() => memoryStore({ maxMessages: 0 })).toThrow(/maxMessages/)
    expect(() => memoryStore({ maxPageSize: 1.5 })).toThrow(/maxPageSize/)
  })
})
