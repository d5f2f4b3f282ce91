/**
 * secp256k1 through libsecp256k1 compiled to WebAssembly (tiny-secp256k1). Loaded lazily: the module
 * instantiates its WASM at import time.
 *
 * tiny-secp256k1 has no ECDH call, so ecdh multiplies the point by the scalar. libsecp256k1's point
 * multiplication is not constant time (unlike its ECDH module, which the native provider uses); in
 * a WASM sandbox the timing signal is weak, but a node that cares should prefer the native provider.
 */
import type { Secp256k1Provider } from '@parley/interfaces'
import {
  assertHash,
  assertPrivateKey,
  COMPRESSED_LENGTH,
  hasPublicKeyLayout,
  isPrivateKeyInRange,
  joinRecoverable,
  recovered,
  splitRecoverable,
  verified,
  withPublicKey,
} from './common.ts'

type TinySecp256k1 = typeof import('tiny-secp256k1')

function createProvider(lib: TinySecp256k1): Secp256k1Provider {
  return {
    name: 'tiny-secp256k1',
    kind: 'wasm',
    isValidPrivateKey: isPrivateKeyInRange,
    isValidPublicKey: (publicKey) => hasPublicKeyLayout(publicKey) && lib.isPoint(publicKey),
    getPublicKey(privateKey, compressed = false) {
      assertPrivateKey(privateKey)
      return lib.pointFromScalar(privateKey, compressed)!
    },
    convertPublicKey(publicKey, compressed) {
      return withPublicKey(publicKey, () => lib.pointCompress(publicKey, compressed))
    },
    ecdh(privateKey, publicKey) {
      assertPrivateKey(privateKey)
      const shared = withPublicKey(publicKey, () => lib.pointMultiply(publicKey, privateKey, true))
      return shared.slice(1, COMPRESSED_LENGTH)
    },
    sign(hash, privateKey) {
      assertHash(hash)
      assertPrivateKey(privateKey)
      // No extra entropy: RFC 6979 nonces; libsecp256k1 always produces low s.
      const { signature, recoveryId } = lib.signRecoverable(hash, privateKey)
      return joinRecoverable(signature, recoveryId)
    },
    recover(hash, signature, compressed = false) {
      assertHash(hash)
      const { compact, recovery } = splitRecoverable(signature)
      return recovered(() => lib.recover(hash, compact, recovery as 0 | 1 | 2 | 3, compressed))
    },
    verify(hash, signature, publicKey) {
      assertHash(hash)
      return verified(signature, publicKey, (compact) => lib.verify(hash, publicKey, compact, true))
    },
  }
}

/** Returns the WASM provider, or `undefined` when WebAssembly or tiny-secp256k1 cannot load here. */
export async function loadWasmSecp256k1Provider(): Promise<Secp256k1Provider | undefined> {
  try {
    return createProvider(await import('tiny-secp256k1'))
  } catch {
    return undefined
  }
}
