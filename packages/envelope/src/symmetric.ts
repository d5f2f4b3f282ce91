/**
 * Symmetric encryption of a plaintext as Whisper and Waku do it: AES-256-GCM without AAD and
 * `data = ciphertext || tag(16) || nonce(12)`. Keys are 32 bytes and never all zero.
 */
import {
  aes256GcmDecrypt,
  aes256GcmEncrypt,
  type KeyInput,
  pbkdf2Sha256,
  randomBytes,
  SymmetricKey,
  symmetricKey,
  WHISPER_PBKDF2_ITERATIONS,
} from '@parley/crypto'
import type { AbortOptions } from '@parley/interfaces'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { AES_NONCE_LENGTH, AES_TAG_LENGTH, checkLength, type DecodeLimits, SYM_KEY_LENGTH } from './limits.ts'

export interface EncryptSymmetricOptions {
  /** Fixes the 12-byte nonce, for known-answer tests only: a repeated nonce breaks AES-GCM. */
  nonce?: Uint8Array
}

const EMPTY_SALT = new Uint8Array(0)

/**
 * Checks a symmetric key: 32 bytes, and for raw bytes not all zero (go-ethereum's
 * `validateDataIntegrity`). A `SymmetricKey` handle hides its bytes, so build handles with
 * `createSymKey`, which checks them once.
 */
export function assertSymKey(key: KeyInput | null | undefined): asserts key is KeyInput {
  if (!(key instanceof Uint8Array) && !(key instanceof SymmetricKey)) {
    throw new InvalidParametersError('Symmetric key is missing')
  }
  if (key.length !== SYM_KEY_LENGTH) {
    throw new InvalidParametersError(`Symmetric key must be ${SYM_KEY_LENGTH} bytes, got ${key.length}`)
  }
  if (key instanceof Uint8Array && key.every((byte) => byte === 0)) {
    throw new InvalidParametersError('Symmetric key is all zero')
  }
}

/** A checked, cached key handle for a key used many times (a topic or chat key). */
export function createSymKey(raw: Uint8Array): SymmetricKey {
  assertSymKey(raw)
  return symmetricKey(raw)
}

/**
 * Status's key from a password or chat name: PBKDF2-HMAC-SHA256 with an empty salt, 65 356
 * iterations (a typo of 65 536 that became protocol) and a 32-byte result. Aborting rejects with
 * `AbortError`.
 */
export function symKeyFromPassword(
  password: string | Uint8Array,
  options?: AbortOptions,
): Promise<Uint8Array> {
  return pbkdf2Sha256(password, EMPTY_SALT, WHISPER_PBKDF2_ITERATIONS, SYM_KEY_LENGTH, options)
}

/** Encrypts a plaintext; throws `InvalidParametersError` on a bad key or nonce. */
export function encryptSymmetric(
  plaintext: Uint8Array,
  key: KeyInput,
  options: EncryptSymmetricOptions = {},
): Uint8Array {
  assertSymKey(key)
  const nonce = options.nonce ?? randomBytes(AES_NONCE_LENGTH)
  if (nonce.length !== AES_NONCE_LENGTH) {
    throw new InvalidParametersError(`AES-GCM nonce must be ${AES_NONCE_LENGTH} bytes, got ${nonce.length}`)
  }
  const sealed = aes256GcmEncrypt(key, nonce, plaintext)
  const out = new Uint8Array(sealed.length + AES_NONCE_LENGTH)
  out.set(sealed)
  out.set(nonce, sealed.length)
  return out
}

/**
 * Decrypts `ciphertext || tag || nonce`. On untrusted data throws only `DecodeError` (too short or
 * too long) or `VerificationError` (wrong key or tampered); a bad key is `InvalidParametersError`.
 */
export function decryptSymmetric(data: Uint8Array, key: KeyInput, limits?: DecodeLimits): Uint8Array {
  assertSymKey(key)
  checkLength(data, 'Symmetric payload', limits)
  if (data.length < AES_TAG_LENGTH + AES_NONCE_LENGTH) {
    throw new DecodeError(
      `Symmetric payload is ${data.length} bytes, shorter than tag and nonce (${AES_TAG_LENGTH + AES_NONCE_LENGTH})`,
    )
  }
  const split = data.length - AES_NONCE_LENGTH
  return aes256GcmDecrypt(key, data.subarray(split), data.subarray(0, split))
}
