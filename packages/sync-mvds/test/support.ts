import { type FakeComponents, fakeComponents, seededRandom } from '@parley/compliance-tests'
import { bytesToHex } from '@parley/crypto'
import {
  type AbortOptions,
  type KeyValueBatch,
  type KeyValueEntriesOptions,
  type KeyValueStore,
  keyValueStore,
} from '@parley/interfaces'
import { type Clock, type MvdsDataSync, type MvdsInit, mvds } from '../src/index.ts'

/** A KeyValueStore over a Map that outlives the services using it (a "disk" for restart tests). */
export class MapStore implements KeyValueStore {
  readonly data = new Map<string, Uint8Array>()
  start(): void {}
  stop(): void {}
  async get(key: Uint8Array, _options?: AbortOptions) {
    return this.data.get(bytesToHex(key))?.slice()
  }
  async has(key: Uint8Array) {
    return this.data.has(bytesToHex(key))
  }
  async put(key: Uint8Array, value: Uint8Array) {
    this.data.set(bytesToHex(key), value.slice())
  }
  async delete(key: Uint8Array) {
    this.data.delete(bytesToHex(key))
  }
  batch(): KeyValueBatch {
    const writes: [string, Uint8Array | undefined][] = []
    const batch: KeyValueBatch = {
      put: (key, value) => {
        writes.push([bytesToHex(key), value.slice()])
        return batch
      },
      delete: (key) => {
        writes.push([bytesToHex(key), undefined])
        return batch
      },
      commit: async () => {
        for (const [key, value] of writes) {
          if (value === undefined) this.data.delete(key)
          else this.data.set(key, value)
        }
      },
    }
    return batch
  }
  async *entries(options: KeyValueEntriesOptions = {}): AsyncIterable<[Uint8Array, Uint8Array]> {
    const prefix = options.prefix === undefined ? '' : bytesToHex(options.prefix)
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort()
    for (const key of keys) {
      const value = this.data.get(key)
      if (value !== undefined) yield [Uint8Array.from(Buffer.from(key, 'hex')), value.slice()]
    }
  }
}

/** A clock whose timers fire only in `advance`, which awaits what each callback returns. */
export class FakeClock implements Clock {
  #now: number
  #next = 1
  readonly #timers = new Map<number, { at: number; callback: () => unknown }>()

  constructor(now = 1_700_000_000_000) {
    this.#now = now
  }

  get pendingTimers(): number {
    return this.#timers.size
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => unknown, ms: number): unknown {
    const id = this.#next++
    this.#timers.set(id, { at: this.#now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }

  async advance(ms: number): Promise<void> {
    const end = this.#now + ms
    for (;;) {
      let due: [number, { at: number; callback: () => unknown }] | undefined
      for (const entry of this.#timers)
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry
      if (due === undefined) break
      this.#timers.delete(due[0])
      this.#now = due[1].at
      await due[1].callback()
    }
    this.#now = end
  }
}

export interface TestService {
  sync: MvdsDataSync
  components: FakeComponents
}

/** A service made through the plugin factory, as a node would make it. */
export function createService(init: MvdsInit, store?: KeyValueStore): TestService {
  const components = fakeComponents({ services: store === undefined ? [] : [[keyValueStore, store]] })
  return { sync: mvds(init).create(components), components }
}

/** Routes payloads between named services, dropping a seeded fraction of them. */
export class LossyLink {
  readonly #services = new Map<string, MvdsDataSync | undefined>()
  readonly #random: () => number
  readonly #dropRate: number
  sent = 0
  dropped = 0

  constructor(seed: number, dropRate: number) {
    this.#random = seededRandom(seed)
    this.#dropRate = dropRate
  }

  /** Attaches (or, with undefined, takes down) the service reachable as `name`. */
  attach(name: string, sync: MvdsDataSync | undefined): void {
    this.#services.set(name, sync)
    sync?.setTransport(async (peer, payload) => {
      this.sent++
      const target = this.#services.get(peer)
      if (target === undefined || this.#random() < this.#dropRate) {
        this.dropped++
        return
      }
      await target.receive(name, payload)
    })
  }
}

export const GROUP = Uint8Array.of(0x0a, 0x0b, 0x0c)
export const utf8 = (text: string) => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
