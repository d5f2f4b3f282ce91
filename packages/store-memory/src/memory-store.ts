import { type AbortOptions, keyValueStore, messageArchive, type Plugin } from '@parley/interfaces'
import { CombinedStore } from '@parley/store-utils'
import { MemoryKeyValueStore } from './key-value-store.ts'
import { MemoryMessageArchive, type MemoryMessageArchiveInit } from './message-archive.ts'

export type MemoryStoreInit = MemoryMessageArchiveInit

/** Both storage capabilities in one service, as the `memoryStore()` plugin provides them. */
export class MemoryStore extends CombinedStore {
  readonly keyValues: MemoryKeyValueStore
  readonly messages: MemoryMessageArchive

  constructor(init: MemoryStoreInit = {}) {
    super()
    this.keyValues = new MemoryKeyValueStore()
    this.messages = new MemoryMessageArchive(init)
  }

  async start(options?: AbortOptions): Promise<void> {
    await this.keyValues.start(options)
    await this.messages.start(options)
  }

  async stop(): Promise<void> {
    await this.messages.stop()
    await this.keyValues.stop()
  }

  isStarted(): boolean {
    return this.keyValues.isStarted() && this.messages.isStarted()
  }
}

/**
 * The in-memory store plugin: `createNode({ store: memoryStore() })`. Provides `keyValueStore` and
 * `messageArchive`. Nothing survives the process; use it for tests, light clients and demos.
 */
export function memoryStore(init: MemoryStoreInit = {}): Plugin<MemoryStore> {
  // Validate now, so a bad option fails where it is written rather than at node start.
  new MemoryMessageArchive(init)
  return {
    name: 'store-memory',
    provides: [keyValueStore, messageArchive],
    create: () => new MemoryStore(init),
  }
}
