/** secp256k1 in pure JavaScript (@noble/curves): always available, the last fallback. */

import { secp256k1 } from '@noble/curves/secp256k1.js'
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

const RAW_HASH = { prehash: false } as const

/** noble's 'recovered' format puts the recovery byte first; ours (go-ethereum's) puts it last. */
function toNobleRecovered(compact: Uint8Array, recovery: number): Uint8Array {
  const signature = new Uint8Array(65)
  signature[0] = recovery
  signature.set(compact, 1)
  return signature
}

export const nobleSecp256k1Provider: Secp256k1Provider = {
  name: '@noble/curves',
  kind: 'js',
  isValidPrivateKey: isPrivateKeyInRange,
  isValidPublicKey(publicKey) {
    return hasPublicKeyLayout(publicKey) && secp256k1.utils.isValidPublicKey(publicKey)
  },
  getPublicKey(privateKey, compressed = false) {
    assertPrivateKey(privateKey)
    return secp256k1.getPublicKey(privateKey, compressed)
  },
  convertPublicKey(publicKey, compressed) {
    return withPublicKey(publicKey, () => secp256k1.Point.fromBytes(publicKey).toBytes(compressed))
  },
  ecdh(privateKey, publicKey) {
    assertPrivateKey(privateKey)
    // getSharedSecret returns the compressed shared point; the secret is its x coordinate, unhashed.
    const shared = withPublicKey(publicKey, () => secp256k1.getSharedSecret(privateKey, publicKey, true))
    return shared.slice(1, COMPRESSED_LENGTH)
  },
  sign(hash, privateKey) {
    assertHash(hash)
    assertPrivateKey(privateKey)
    // RFC 6979 nonces (no extra entropy) and low s are noble's defaults for secp256k1.
    const signature = secp256k1.sign(hash, privateKey, { ...RAW_HASH, format: 'recovered' })
    return joinRecoverable(signature.subarray(1), signature[0]!)
  },
  recover(hash, signature, compressed = false) {
    assertHash(hash)
    const { compact, recovery } = splitRecoverable(signature)
    return recovered(() => {
      const key = secp256k1.recoverPublicKey(toNobleRecovered(compact, recovery), hash, RAW_HASH)
      return secp256k1.Point.fromBytes(key).toBytes(compressed)
    })
  },
  verify(hash, signature, publicKey) {
    assertHash(hash)
    return verified(signature, publicKey, (compact) =>
      secp256k1.verify(compact, hash, publicKey, { ...RAW_HASH, format: 'compact' }),
    )
  },
}
