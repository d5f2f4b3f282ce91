/**
 * keccak256 in WebAssembly (hash-wasm), about 7x faster than pure JS on short inputs. One hasher
 * instance is created and reused: `init()` resets it, and JavaScript never interleaves two synchronous
 * calls, so sharing it is safe.
 */
import type { HashProvider } from '@parley/interfaces'
import type { IHasher } from 'hash-wasm'

let shared: IHasher | undefined

/** The loaded WASM hasher, for incremental hashing with `save`/`load`; `undefined` before it loads. */
export function wasmKeccakHasher(): IHasher | undefined {
  return shared
}

/** Returns the WASM provider, or `undefined` when WebAssembly or hash-wasm cannot load here. */
export async function loadWasmHashProvider(): Promise<HashProvider | undefined> {
  try {
    const { createKeccak } = await import('hash-wasm')
    const hasher = await createKeccak(256)
    shared = hasher
    return {
      name: 'hash-wasm',
      kind: 'wasm',
      // digest('binary') copies out of WASM memory, so callers own the result.
      keccak256: (data) => hasher.init().update(data).digest('binary'),
    }
  } catch {
    return undefined
  }
}
