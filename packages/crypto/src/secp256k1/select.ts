/** Finds the secp256k1 providers that load in this runtime, in preference order native, wasm, js. */
import type { Secp256k1Provider } from '@parley/interfaces'
import { loadNativeSecp256k1Provider } from './native.ts'
import { nobleSecp256k1Provider } from './noble.ts'
import { loadWasmSecp256k1Provider } from './wasm.ts'

let loading: Promise<Secp256k1Provider[]> | undefined

/** Every secp256k1 provider that loads here, fastest first (native, wasm, js). Loads each once. */
export function availableSecp256k1Providers(): Promise<Secp256k1Provider[]> {
  loading ??= (async () => {
    const candidates = [
      loadNativeSecp256k1Provider(),
      await loadWasmSecp256k1Provider(),
      nobleSecp256k1Provider,
    ]
    return candidates.filter((provider) => provider !== undefined)
  })()
  return loading.then((providers) => [...providers])
}
