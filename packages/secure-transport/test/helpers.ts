import { fakeComponents } from '@parley/compliance-tests'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import type { AbortOptions, KeyValueBatch, KeyValueStore, Secp256k1Provider } from '@parley/interfaces'
import { type SecureTransportOptions, StatusSecureTransport } from '@parley/secure-transport'
import { MemoryKeyValueStore } from '@parley/store-memory'

export const text = (value: string): Uint8Array => new TextEncoder().encode(value)
export const read = (value: Uint8Array): string => new TextDecoder().decode(value)

let secpPromise: Promise<Secp256k1Provider> | undefined
export function secp(): Promise<Secp256k1Provider> {
  secpPromise ??= loadCrypto().then((crypto) => crypto.secp256k1)
  return secpPromise
}

/** A controllable clock in ms. */
export class Clock {
  ms = Date.UTC(2026, 0, 1)
  readonly now = (): number => this.ms
  advance(ms: number): void {
    this.ms += ms
  }
}

export interface Device {
  transport: StatusSecureTransport
  store: KeyValueStore
  identityKey: Uint8Array
  /** fake-components metric records, `name{labels}` → value */
  recorded: Map<string, number>
  options: Partial<SecureTransportOptions>
}

/** A started transport on a fresh (or given) memory store; same store + key = the same device after a restart. */
export async function device(
  options: Partial<SecureTransportOptions> & { identityKey?: Uint8Array; store?: KeyValueStore } = {},
): Promise<Device> {
  const store = options.store ?? new MemoryKeyValueStore()
  const identityKey = options.identityKey ?? generatePrivateKey()
  const components = fakeComponents()
  const transport = new StatusSecureTransport({
    secp: await secp(),
    ...options,
    store,
    identityKey,
    metrics: components.metrics,
  })
  await transport.start()
  return { transport, store, identityKey, recorded: components.recorded, options }
}

/** The same device after a restart: a new transport over the same store and key. */
export async function restart(old: Device): Promise<Device> {
  await old.transport.stop()
  return device({ ...old.options, store: old.store, identityKey: old.identityKey })
}

export function rejected(device: Device, reason: string): number {
  return device.recorded.get(`parley_secure_transport_rejected_total{reason="${reason}"}`) ?? 0
}

/** Introduces `to` to `from`'s bundle, as a contact code would. */
export async function introduce(from: Device, to: Device): Promise<void> {
  await to.transport.addBundle(await from.transport.bundle())
}

/** A memory store whose next `failures` batch commits throw, writing nothing. */
export class FlakyStore extends MemoryKeyValueStore {
  failures = 0

  override batch(): KeyValueBatch {
    const inner = super.batch()
    const store = this
    const batch: KeyValueBatch = {
      put(key, value) {
        inner.put(key, value)
        return batch
      },
      delete(key) {
        inner.delete(key)
        return batch
      },
      async commit(options?: AbortOptions) {
        if (store.failures > 0) {
          store.failures--
          throw new Error('disk full')
        }
        await inner.commit(options)
      },
    }
    return batch
  }
}
