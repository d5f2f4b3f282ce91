/**
 * status-go `crypto.EncryptSymmetric` / `DecryptSymmetric`: AES-256-GCM with a random 12-byte nonce,
 * laid out `ciphertext || tag(16) || nonce(12)`. The DH fallback and the hash ratchet use it.
 */
import { aes256GcmDecrypt, aes256GcmEncrypt, randomBytes } from '@parley/crypto'
import { DecodeError, VerificationError } from '@parley/interfaces'

export const GCM_NONCE_LENGTH = 12
const GCM_TAG_LENGTH = 16

export function sealSymmetric(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = randomBytes(GCM_NONCE_LENGTH)
  const sealed = aes256GcmEncrypt(key, nonce, plaintext)
  const payload = new Uint8Array(sealed.length + GCM_NONCE_LENGTH)
  payload.set(sealed)
  payload.set(nonce, sealed.length)
  return payload
}

/** `DecodeError` if too short, `VerificationError` on a bad tag. */
export function openSymmetric(key: Uint8Array, payload: Uint8Array, what: string): Uint8Array {
  if (payload.length < GCM_TAG_LENGTH + GCM_NONCE_LENGTH)
    throw new DecodeError(`${what} payload is too short`)
  const nonce = payload.subarray(payload.length - GCM_NONCE_LENGTH)
  try {
    return aes256GcmDecrypt(key, nonce, payload.subarray(0, payload.length - GCM_NONCE_LENGTH))
  } catch (cause) {
    if (cause instanceof DecodeError) throw cause
    throw new VerificationError(`${what} message authentication failed`, { cause })
  }
}
