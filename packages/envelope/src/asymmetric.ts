/**
 * Asymmetric encryption of a plaintext: go-ethereum ECIES (secp256k1, concat KDF, AES-128-CTR,
 * HMAC-SHA256) with empty s1 and s2, so `data = R(65) || iv(16) || ciphertext || mac(32)`.
 */
import { eciesDecrypt, eciesEncrypt } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { checkLength, type DecodeLimits } from './limits.ts'

export interface AsymmetricOptions {
  secp256k1: Secp256k1Provider
}

/** Encrypts to a 33- or 65-byte public key; a bad key throws `InvalidParametersError`. */
export function encryptAsymmetric(
  plaintext: Uint8Array,
  publicKey: Uint8Array,
  options: AsymmetricOptions,
): Uint8Array {
  return eciesEncrypt(options.secp256k1, publicKey, plaintext)
}

/**
 * Decrypts with a 32-byte private key. On untrusted data throws only `DecodeError` or
 * `VerificationError` (a message for another key fails its MAC).
 */
export function decryptAsymmetric(
  data: Uint8Array,
  privateKey: Uint8Array,
  options: AsymmetricOptions & DecodeLimits,
): Uint8Array {
  checkLength(data, 'Asymmetric payload', options)
  return eciesDecrypt(options.secp256k1, privateKey, data)
}
