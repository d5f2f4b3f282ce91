/** Pure-JavaScript keccak256 (@noble/hashes): always available, the fallback before WASM loads. */

import { keccak_256 } from '@noble/hashes/sha3.js'
import type { HashProvider } from '@parley/interfaces'

export const jsHashProvider: HashProvider = {
  name: '@noble/hashes',
  kind: 'js',
  keccak256: (data) => keccak_256(data),
}
