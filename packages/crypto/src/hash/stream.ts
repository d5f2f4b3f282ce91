/**
 * An incremental keccak256 whose `digest()` does not end it: RLPx keeps one running state per
 * direction as its MAC and reads the digest after every header and body. Pure JS (@noble/hashes);
 * the updates are short, so WASM call overhead would eat most of its gain.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'

export interface Keccak256Stream {
  update(data: Uint8Array): Keccak256Stream
  /** keccak256 of everything written so far; the stream stays open for more updates. */
  digest(): Uint8Array
}

export function createKeccak256(): Keccak256Stream {
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
