import type {
  AbortOptions,
  ArchivedMessage,
  KeyValueBatch,
  KeyValueEntriesOptions,
  KeyValueStore,
  MessageArchive,
  MessagePage,
  MessageQuery,
} from '@parley/interfaces'
import type { MessageFilter } from './query.ts'

/** What a store's key-value half answers: a `KeyValueStore` without the lifecycle. */
export type KeyValueCalls = Pick<KeyValueStore, 'get' | 'put' | 'delete' | 'has' | 'batch' | 'entries'>

/** What a store's archive half answers: a `MessageArchive` without the lifecycle. */
export type MessageArchiveCalls = Pick<
  MessageArchive,
  'insert' | 'query' | 'count' | 'deleteOlderThan' | 'size'
>

/**
 * A `KeyValueStore` and a `MessageArchive` in one service, as a store plugin provides them: every
 * call goes to the half that answers it. A store extends it with its lifecycle (`start`, `stop`,
 * `isStarted`) and sets `keyValues` and `messages` in its constructor.
 */
export abstract class CombinedStore implements KeyValueStore, MessageArchive {
  protected abstract readonly keyValues: KeyValueCalls
  protected abstract readonly messages: MessageArchiveCalls

  abstract start(options?: AbortOptions): Promise<void>
  abstract stop(): Promise<void>
  abstract isStarted(): boolean

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

  count(query?: MessageFilter, options?: AbortOptions): Promise<number> {
    return this.messages.count(query, options)
  }

  deleteOlderThan(before: bigint, options?: AbortOptions): Promise<number> {
    return this.messages.deleteOlderThan(before, options)
  }

  size(options?: AbortOptions): Promise<number> {
    return this.messages.size(options)
  }
}
