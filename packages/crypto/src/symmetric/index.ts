/**
 * The module-level symmetric functions. They use node:crypto where it exists and @noble otherwise;
 * `symmetricBackends()` exposes both so tests and benchmarks can run each one.
 */
import type { AbortOptions } from '@parley/interfaces'
import { utf8ToBytes } from '../bytes.ts'
import type { AesCtrStream, SymmetricBackend } from './backend.ts'
import { jsSymmetricBackend } from './js.ts'
import type { KeyInput } from './key.ts'
import { nodeSymmetricBackend } from './node.ts'
import { hasWebCryptoPbkdf2, webCryptoPbkdf2Sha256 } from './webcrypto.ts'

const backends: readonly SymmetricBackend[] =
  nodeSymmetricBackend === undefined ? [jsSymmetricBackend] : [nodeSymmetricBackend, jsSymmetricBackend]
const active: SymmetricBackend = backends[0]!

/** Every symmetric backend available here, the one the module-level functions use first. */
export function symmetricBackends(): SymmetricBackend[] {
  return [...backends]
}

export function sha256(data: Uint8Array): Uint8Array {
  return active.sha256(data)
}

export function hmacSha256(key: KeyInput, data: Uint8Array): Uint8Array {
  return active.hmacSha256(key, data)
}

/**
 * AES-256-GCM with a 12-byte nonce. Returns `ciphertext || tag` (tag 16 bytes, so the output is
 * 16 bytes longer than the plaintext). Whisper and Waku append the nonce after this themselves.
 */
export function aes256GcmEncrypt(
  key: KeyInput,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  return active.aes256GcmEncrypt(key, nonce, plaintext, aad)
}

/** Reverses `aes256GcmEncrypt`; `VerificationError` on a wrong tag, `DecodeError` under 16 bytes. */
export function aes256GcmDecrypt(
  key: KeyInput,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  return active.aes256GcmDecrypt(key, nonce, sealed, aad)
}

/** AES-CTR, 128- or 256-bit by key length (16 or 32 bytes), 16-byte IV; encrypts and decrypts. */
export function aesCtr(key: KeyInput, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return active.aesCtr(key, iv, data)
}

/** A continuous AES-CTR keystream across calls (RLPx frame encryption). */
export function createAesCtrStream(key: KeyInput, iv: Uint8Array): AesCtrStream {
  return active.createAesCtrStream(key, iv)
}

/** Encrypts single 16-byte blocks with AES-ECB, no padding (RLPx frame MACs). */
export function createAesEcbEncryptor(key: KeyInput): (block: Uint8Array) => Uint8Array {
  return active.createAesEcbEncryptor(key)
}

export function hkdfSha256(ikm: KeyInput, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return active.hkdfSha256(ikm, salt, info, length)
}

/**
 * Whisper's (and status-go's) iteration count for symmetric keys derived from a password: 65356, a
 * typo of 65536 that became part of the protocol. status-go uses an empty salt and a 32-byte key.
 */
export const WHISPER_PBKDF2_ITERATIONS = 65356

/**
 * PBKDF2-HMAC-SHA256. A string password is encoded as UTF-8. Uses node:crypto's thread pool, else
 * WebCrypto, else pure JavaScript; the signal rejects the promise with `AbortError`.
 */
export async function pbkdf2Sha256(
  password: Uint8Array | string,
  salt: Uint8Array,
  iterations: number,
  length: number,
  options?: AbortOptions,
): Promise<Uint8Array> {
  const passwordBytes = typeof password === 'string' ? utf8ToBytes(password) : password
  if (active === jsSymmetricBackend && hasWebCryptoPbkdf2()) {
    return webCryptoPbkdf2Sha256(passwordBytes, salt, iterations, length, options)
  }
  return active.pbkdf2Sha256(passwordBytes, salt, iterations, length, options)
}
