import {
  type AbortOptions,
  type ArchivedMessage,
  type KeyValueBatch,
  type KeyValueEntriesOptions,
  type KeyValueStore,
  keyValueStore,
  type MessageArchive,
  type MessagePage,
  type MessageQuery,
  messageArchive,
  type Plugin,
} from '@parley/interfaces'
import { MemoryKeyValueStore } from './key-value-store.ts'
import { MemoryMessageArchive, type MemoryMessageArchiveInit } from './message-archive.ts'

export type MemoryStoreInit = MemoryMessageArchiveInit

/** Both storage capabilities in one service, as the `memoryStore()` plugin provides them. */
export class MemoryStore implements KeyValueStore, MessageArchive {
  readonly keyValues: MemoryKeyValueStore
  readonly messages: MemoryMessageArchive

  constructor(init: MemoryStoreInit = {}) {
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

  // KeyValueStore
  get(key: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined> {
    return this.keyValues.get(key, options)
  }

  put(key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<void> {
    return this.keyValues.put(key, value, options)
  }

  delete(key: Uint8Array, options?: AbortOptions): Promise<void> {
    return this.keyValues.delete(key, options)
  }

  has(key: Uint8Array, options?: AbortOptions): Promise<boolean> {
    return this.keyValues.has(key, options)
  }

  batch(): KeyValueBatch {
    return this.keyValues.batch()
  }

  entries(options?: KeyValueEntriesOptions): AsyncIterable<[Uint8Array, Uint8Array]> {
    return this.keyValues.entries(options)
  }

  // MessageArchive
  insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number> {
    return this.messages.insert(messages, options)
  }

  query(query: MessageQuery, options?: AbortOptions): Promise<MessagePage> {
    return this.messages.query(query, options)
  }

  count(
    query?: Omit<MessageQuery, 'limit' | 'cursor' | 'direction'>,
    options?: AbortOptions,
  ): Promise<number> {
    return this.messages.count(query, options)
  }

  deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number> {
    return this.messages.deleteOlderThan(before, options)
  }

  size(options?: AbortOptions): Promise<number> {
    return this.messages.size(options)
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
