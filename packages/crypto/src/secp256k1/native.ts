/**
 * secp256k1 through the native libsecp256k1 binding (the `secp256k1` npm package, N-API). It is an
 * optional dependency and CommonJS, so it is required lazily and any failure means "not available".
 *
 * We require `secp256k1/bindings.js`, not the package root: the root silently falls back to the
 * pure-JS `elliptic` library when the addon is missing, which would be reported as native.
 */
import type { Secp256k1Provider } from '@parley/interfaces'
import { randomBytes } from '../random.ts'
import { nodeRequire } from '../runtime.ts'
import {
  assertHash,
  assertPrivateKey,
  hasPublicKeyLayout,
  isPrivateKeyInRange,
  joinRecoverable,
  recovered,
  splitRecoverable,
  verified,
  withPublicKey,
} from './common.ts'

/** The part of the binding's API we use (it ships no types). */
interface NativeBinding {
  contextRandomize(seed: Uint8Array): void
  publicKeyVerify(publicKey: Uint8Array): boolean
  publicKeyCreate(privateKey: Uint8Array, compressed: boolean): Uint8Array
  publicKeyConvert(publicKey: Uint8Array, compressed: boolean): Uint8Array
  ecdsaSign(hash: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number }
  ecdsaVerify(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): boolean
  ecdsaRecover(signature: Uint8Array, recid: number, hash: Uint8Array, compressed: boolean): Uint8Array
  ecdh(
    publicKey: Uint8Array,
    privateKey: Uint8Array,
    options: { hashfn: (x: Uint8Array, y: Uint8Array) => Uint8Array; xbuf: Uint8Array; ybuf: Uint8Array },
    output: Uint8Array,
  ): Uint8Array
}

function createProvider(lib: NativeBinding): Secp256k1Provider {
  // The binding's ecdh hashes the shared point with SHA-256 by default; the identity "hash" keeps
  // the bare x coordinate, which is what go-ethereum's ECIES and Status's X3DH use.
  const ecdhOptions = {
    hashfn: (x: Uint8Array) => x,
    xbuf: new Uint8Array(32),
    ybuf: new Uint8Array(32),
  }
  return {
    name: 'libsecp256k1',
    kind: 'native',
    isValidPrivateKey: isPrivateKeyInRange,
    isValidPublicKey: (publicKey) => hasPublicKeyLayout(publicKey) && lib.publicKeyVerify(publicKey),
    getPublicKey(privateKey, compressed = false) {
      assertPrivateKey(privateKey)
      return lib.publicKeyCreate(privateKey, compressed)
    },
    convertPublicKey(publicKey, compressed) {
      return withPublicKey(publicKey, () => lib.publicKeyConvert(publicKey, compressed))
    },
    ecdh(privateKey, publicKey) {
      assertPrivateKey(privateKey)
      // libsecp256k1's ECDH module multiplies in constant time.
      return withPublicKey(publicKey, () => lib.ecdh(publicKey, privateKey, ecdhOptions, new Uint8Array(32)))
    },
    sign(hash, privateKey) {
      assertHash(hash)
      assertPrivateKey(privateKey)
      // The default nonce function is RFC 6979; libsecp256k1 always produces low s.
      const { signature, recid } = lib.ecdsaSign(hash, privateKey)
      return joinRecoverable(signature, recid)
    },
    recover(hash, signature, compressed = false) {
      assertHash(hash)
      const { compact, recovery } = splitRecoverable(signature)
      return recovered(() => lib.ecdsaRecover(compact, recovery, hash, compressed))
    },
    verify(hash, signature, publicKey) {
      assertHash(hash)
      return verified(signature, publicKey, (compact) => lib.ecdsaVerify(compact, hash, publicKey))
    },
  }
}

/** Returns the native provider, or `undefined` when the addon is absent or does not load here. */
export function loadNativeSecp256k1Provider(): Secp256k1Provider | undefined {
  try {
    const require = nodeRequire()
    if (require === undefined) return undefined
    const lib = require('secp256k1/bindings.js') as NativeBinding
    // Blinds the signing context against side channels, as libsecp256k1 recommends.
    lib.contextRandomize(randomBytes(32))
    return createProvider(lib)
  } catch {
    return undefined
  }
}
