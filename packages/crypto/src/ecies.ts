/**
 * ECIES exactly as go-ethereum's crypto/ecies does it for RLPx and Whisper/Waku asymmetric messages
 * (ECIES_AES128_SHA256):
 *
 *   z  = x(r · K)                          (unhashed ECDH, r the ephemeral key)
 *   K  = concatKDF-SHA256(z, s1, 32);  kE = K[0:16];  kM = SHA-256(K[16:32])
 *   em = iv || AES-128-CTR(kE, iv, m)
 *   out = R (65, uncompressed) || em || HMAC-SHA256(kM, em || s2)
 *
 * so the output is 113 bytes longer than the plaintext. RLPx passes the 2-byte packet size as s2;
 * Whisper and Waku pass neither s1 nor s2.
 */
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import { concatBytes, equalBytes } from './bytes.ts'
import { concatKdfSha256 } from './kdf.ts'
import { generatePrivateKey } from './keys.ts'
import { randomBytes } from './random.ts'
import { aesCtr, hmacSha256, sha256 } from './symmetric/index.ts'

const EPHEMERAL_KEY_LENGTH = 65
const IV_LENGTH = 16
const TAG_LENGTH = 32
/** Bytes ECIES adds to a plaintext: ephemeral key, IV and tag. */
export const ECIES_OVERHEAD = EPHEMERAL_KEY_LENGTH + IV_LENGTH + TAG_LENGTH

const EMPTY = new Uint8Array(0)

export interface EciesOptions {
  /** Shared info mixed into the KDF. */
  s1?: Uint8Array
  /** Shared info mixed into the MAC (RLPx: the 2-byte size prefix). */
  s2?: Uint8Array
}

export interface EciesEncryptOptions extends EciesOptions {
  /** Fixes the ephemeral key, for known-answer tests only; never reuse one in production. */
  ephemeralPrivateKey?: Uint8Array
  /** Fixes the 16-byte IV, for known-answer tests only. */
  iv?: Uint8Array
}

function deriveKeys(z: Uint8Array, s1: Uint8Array): { encryptionKey: Uint8Array; macKey: Uint8Array } {
  const keys = concatKdfSha256(z, s1, 32)
  return { encryptionKey: keys.subarray(0, 16), macKey: sha256(keys.subarray(16, 32)) }
}

function tagOf(macKey: Uint8Array, encrypted: Uint8Array, s2: Uint8Array): Uint8Array {
  return hmacSha256(macKey, s2.length === 0 ? encrypted : concatBytes(encrypted, s2))
}

/** Encrypts `plaintext` to `publicKey` (33 or 65 bytes). Throws `InvalidParametersError` on a bad key. */
export function eciesEncrypt(
  secp: Secp256k1Provider,
  publicKey: Uint8Array,
  plaintext: Uint8Array,
  options: EciesEncryptOptions = {},
): Uint8Array {
  const ephemeral = options.ephemeralPrivateKey ?? generatePrivateKey()
  const iv = options.iv ?? randomBytes(IV_LENGTH)
  if (iv.length !== IV_LENGTH) throw new InvalidParametersError(`ECIES IV must be 16 bytes, got ${iv.length}`)
  const { encryptionKey, macKey } = deriveKeys(secp.ecdh(ephemeral, publicKey), options.s1 ?? EMPTY)

  const out = new Uint8Array(ECIES_OVERHEAD + plaintext.length)
  out.set(secp.getPublicKey(ephemeral, false), 0)
  out.set(iv, EPHEMERAL_KEY_LENGTH)
  out.set(aesCtr(encryptionKey, iv, plaintext), EPHEMERAL_KEY_LENGTH + IV_LENGTH)
  const encrypted = out.subarray(EPHEMERAL_KEY_LENGTH, out.length - TAG_LENGTH)
  out.set(tagOf(macKey, encrypted, options.s2 ?? EMPTY), out.length - TAG_LENGTH)
  return out
}

/**
 * Decrypts an ECIES message. Throws `DecodeError` when the input is too short or its ephemeral key
 * is not an uncompressed curve point, and `VerificationError` when the MAC does not match (wrong
 * key, wrong s1/s2, or tampering). Never anything else on untrusted input.
 */
export function eciesDecrypt(
  secp: Secp256k1Provider,
  privateKey: Uint8Array,
  ciphertext: Uint8Array,
  options: EciesOptions = {},
): Uint8Array {
  if (ciphertext.length < ECIES_OVERHEAD) {
    throw new DecodeError(
      `ECIES message is ${ciphertext.length} bytes, shorter than its ${ECIES_OVERHEAD}-byte overhead`,
    )
  }
  // go-ethereum reads a 65-byte key whatever the prefix byte, so only the uncompressed form parses.
  const ephemeralKey = ciphertext.subarray(0, EPHEMERAL_KEY_LENGTH)
  if (ephemeralKey[0] !== 0x04 || !secp.isValidPublicKey(ephemeralKey)) {
    throw new DecodeError('ECIES ephemeral public key is not an uncompressed secp256k1 point')
  }
  const { encryptionKey, macKey } = deriveKeys(secp.ecdh(privateKey, ephemeralKey), options.s1 ?? EMPTY)

  const encrypted = ciphertext.subarray(EPHEMERAL_KEY_LENGTH, ciphertext.length - TAG_LENGTH)
  const tag = ciphertext.subarray(ciphertext.length - TAG_LENGTH)
  if (!equalBytes(tagOf(macKey, encrypted, options.s2 ?? EMPTY), tag)) {
    throw new VerificationError('ECIES MAC does not match')
  }
  return aesCtr(encryptionKey, encrypted.subarray(0, IV_LENGTH), encrypted.subarray(IV_LENGTH))
}
