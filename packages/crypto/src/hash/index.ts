/**
 * keccak256 providers and the module-level `keccak256`, which uses the fastest provider loaded so far
 * (pure JS until `loadCrypto` or `availableHashProviders` has loaded the WASM one).
 */
import type { HashProvider, ProviderKind } from '@parley/interfaces'
import { jsHashProvider } from './keccak-js.ts'
import { loadWasmHashProvider } from './keccak-wasm.ts'

let fastest: HashProvider = jsHashProvider
let loading: Promise<HashProvider[]> | undefined

const SPEED_RANK: Record<ProviderKind, number> = { native: 0, wasm: 1, js: 2 }

/** Remembers `provider` for the module-level `keccak256` when it is faster than the current one. */
export function offerHashProvider(provider: HashProvider): void {
  if (SPEED_RANK[provider.kind] < SPEED_RANK[fastest.kind]) fastest = provider
}

/**
 * Every keccak256 provider that loads in this runtime, fastest first. There is no native provider:
 * Node's OpenSSL build exposes SHA3-256 but not the original Keccak padding Ethereum uses.
 */
export function availableHashProviders(): Promise<HashProvider[]> {
  loading ??= (async () => {
    const wasm = await loadWasmHashProvider()
    const providers = wasm === undefined ? [jsHashProvider] : [wasm, jsHashProvider]
    for (const provider of providers) offerHashProvider(provider)
    return providers
  })()
  return loading.then((providers) => [...providers])
}

/** keccak256 (original Keccak padding, as Ethereum uses it) with the fastest provider loaded so far. */
export function keccak256(data: Uint8Array): Uint8Array {
  return fastest.keccak256(data)
}
