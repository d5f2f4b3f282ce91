/**
 * An incremental keccak256 whose `digest()` does not end it: RLPx keeps one running state per
 * direction as its MAC and reads the digest after every header and body. Once the WASM provider has
 * loaded, every stream shares its one hasher and keeps just the saved state between calls (frame
 * bodies are a kilobyte or more, where WASM is several times faster than JS); before that, pure JS.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { IHasher } from 'hash-wasm'
import { wasmKeccakHasher } from './keccak-wasm.ts'

export interface Keccak256Stream {
  update(data: Uint8Array): Keccak256Stream
  /** keccak256 of everything written so far; the stream stays open for more updates. */
  digest(): Uint8Array
}

export function createKeccak256(): Keccak256Stream {
  const hasher = wasmKeccakHasher()
  return hasher === undefined ? jsStream() : wasmStream(hasher)
}

function jsStream(): Keccak256Stream {
  const state = keccak_256.create()
  const stream: Keccak256Stream = {
    update(data) {
      state.update(data)
      return stream
    },
    digest: () => state.clone().digest(),
  }
  return stream
}

/** JavaScript never interleaves two synchronous calls, so streams can take turns on one hasher. */
function wasmStream(hasher: IHasher): Keccak256Stream {
  let state = hasher.init().save()
  const stream: Keccak256Stream = {
    update(data) {
      state = hasher.load(state).update(data).save()
      return stream
    },
    digest: () => hasher.load(state).digest('binary'),
  }
  return stream
}
