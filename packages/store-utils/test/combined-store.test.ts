import type { AbortOptions, KeyValueBatch } from '@parley/interfaces'
import { CombinedStore, type KeyValueCalls, type MessageArchiveCalls } from '@parley/store-utils'
import { describe, expect, it } from 'vitest'

/** Halves that record each call and answer with its name. */
function recordingHalves() {
  const calls: Array<[string, unknown[]]> = []
  const answer =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, args])
      return Promise.resolve(name)
    }
  const batch = {} as KeyValueBatch
  const keyValues = {
    get: answer('get'),
    put: answer('put'),
    delete: answer('delete'),
    has: answer('has'),
    batch: () => batch,
    entries: (options?: unknown) => {
      calls.push(['entries', [options]])
      return (async function* () {})()
    },
  } as unknown as KeyValueCalls
  const messages = {
    insert: answer('insert'),
    query: answer('query'),
    count: answer('count'),
    deleteOlderThan: answer('deleteOlderThan'),
    size: answer('size'),
  } as unknown as MessageArchiveCalls
  return { calls, batch, keyValues, messages }
}

class TestStore extends CombinedStore {
  protected readonly keyValues: KeyValueCalls
  protected readonly messages: MessageArchiveCalls
  started = false

  constructor(keyValues: KeyValueCalls, messages: MessageArchiveCalls) {
    super()
    this.keyValues = keyValues
    this.messages = messages
  }

  async start(_options?: AbortOptions): Promise<void> {
    this.started = true
  }

  async stop(): Promise<void> {
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }
}

describe('CombinedStore', () => {
  it('forwards every call, with its arguments, to the half that answers it', async () => {
    const { calls, batch, keyValues, messages } = recordingHalves()
    const store = new TestStore(keyValues, messages)
    const key = Uint8Array.of(1)
    const options = { signal: new AbortController().signal }
    expect(await store.get(key, options)).toBe('get')
    await store.put(key, key, options)
    await store.delete(key)
    await store.has(key)
    expect(store.batch()).toBe(batch)
    store.entries({ prefix: key })
    await store.insert([], options)
    await store.query({ limit: 1 })
    await store.count({ topics: ['cafe0001'] })
    await store.deleteOlderThan(5n)
    expect(await store.size()).toBe('size')
    expect(calls).toEqual([
      ['get', [key, options]],
      ['put', [key, key, options]],
      ['delete', [key, undefined]],
      ['has', [key, undefined]],
      ['entries', [{ prefix: key }]],
      ['insert', [[], options]],
      ['query', [{ limit: 1 }, undefined]],
      ['count', [{ topics: ['cafe0001'] }, undefined]],
      ['deleteOlderThan', [5n, undefined]],
      ['size', [undefined]],
    ])
  })
})
