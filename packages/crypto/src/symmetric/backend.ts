/**
 * The symmetric primitives one backend provides. Two exist: node:crypto (OpenSSL, `kind: 'native'`)
 * and @noble (pure JavaScript, `kind: 'js'`, for browsers and runtimes without node:crypto). Both
 * produce identical bytes; tests run the same cases through each.
 */
import type { AbortOptions, ProviderKind } from '@parley/interfaces'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import type { KeyInput } from './key.ts'
import { assertAesKey } from './key.ts'

/** Encrypts (or, identically, decrypts) successive chunks of one continuous AES-CTR keystream. */
export interface AesCtrStream {
  update(data: Uint8Array): Uint8Array
}

export interface SymmetricBackend {
  readonly name: string
  readonly kind: ProviderKind
  sha256(data: Uint8Array): Uint8Array
  hmacSha256(key: KeyInput, data: Uint8Array): Uint8Array
  /** Returns `ciphertext || tag` (16-byte tag). */
  aes256GcmEncrypt(key: KeyInput, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array
  /** Takes `ciphertext || tag`; throws `VerificationError` if the tag does not match. */
  aes256GcmDecrypt(key: KeyInput, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array
  /** AES-128-CTR or AES-256-CTR by key length; a 128-bit big-endian counter starting at `iv`. */
  aesCtr(key: KeyInput, iv: Uint8Array, data: Uint8Array): Uint8Array
  createAesCtrStream(key: KeyInput, iv: Uint8Array): AesCtrStream
  /** AES-ECB on single 16-byte blocks without padding (RLPx frame MACs). */
  createAesEcbEncryptor(key: KeyInput): (block: Uint8Array) => Uint8Array
  hkdfSha256(ikm: KeyInput, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array
  pbkdf2Sha256(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
    options?: AbortOptions,
  ): Promise<Uint8Array>
}

export const AES_BLOCK = 16
export const GCM_NONCE_LENGTH = 12
export const GCM_TAG_LENGTH = 16
export const SHA256_LENGTH = 32

export function checkGcm(key: KeyInput, nonce: Uint8Array): void {
  assertAesKey(key, [32], 'AES-256-GCM')
  if (nonce.length !== GCM_NONCE_LENGTH) {
    throw new InvalidParametersError(`AES-GCM nonce must be ${GCM_NONCE_LENGTH} bytes, got ${nonce.length}`)
  }
}

export function checkSealed(sealed: Uint8Array): void {
  if (sealed.length < GCM_TAG_LENGTH) {
    throw new DecodeError(
      `AES-GCM input is ${sealed.length} bytes, shorter than its ${GCM_TAG_LENGTH}-byte tag`,
    )
  }
}

export function checkCtr(key: KeyInput, iv: Uint8Array): void {
  assertAesKey(key, [16, 32], 'AES-CTR')
  if (iv.length !== AES_BLOCK)
    throw new InvalidParametersError(`AES-CTR IV must be 16 bytes, got ${iv.length}`)
}

export function checkEcb(key: KeyInput): void {
  assertAesKey(key, [16, 32], 'AES-ECB')
}

export function checkBlock(block: Uint8Array): void {
  if (block.length !== AES_BLOCK)
    throw new InvalidParametersError(`AES block must be 16 bytes, got ${block.length}`)
}

export function checkHkdfLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 1 || length > 255 * SHA256_LENGTH) {
    throw new InvalidParametersError(`HKDF-SHA256 length must be 1..${255 * SHA256_LENGTH}, got ${length}`)
  }
}

export function checkPbkdf2(iterations: number, length: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new InvalidParametersError(`PBKDF2 iterations must be a positive integer, got ${iterations}`)
  }
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new InvalidParametersError(`PBKDF2 length must be a positive integer, got ${length}`)
  }
}
