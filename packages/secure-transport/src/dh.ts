/**
 * The DH fallback status-go uses when it knows no bundle of the recipient (encryptor.go
 * `encryptWithDH`): a fresh ephemeral key, `key = DH(ephemeral, IK_B)` (raw x coordinate) and
 * AES-256-GCM laid out as `ciphertext || tag || nonce(12)` (`crypto.EncryptSymmetric`). It has no
 * forward secrecy beyond the ephemeral key and no replay protection; the first reply upgrades to X3DH.
 */
import { aes256GcmDecrypt, aes256GcmEncrypt, generatePrivateKey, randomBytes } from '@parley/crypto'
import { DecodeError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import type { DHHeader } from './protocol-message.ts'

export const GCM_NONCE_LENGTH = 12
const GCM_TAG_LENGTH = 16

export interface DhSealed {
  header: DHHeader
  payload: Uint8Array
}

export function encryptWithDh(
  secp: Secp256k1Provider,
  theirIdentity: Uint8Array,
  plaintext: Uint8Array,
  ephemeralKey: Uint8Array = generatePrivateKey(),
): DhSealed {
  const key = secp.ecdh(ephemeralKey, theirIdentity)
  const nonce = randomBytes(GCM_NONCE_LENGTH)
  const sealed = aes256GcmEncrypt(key, nonce, plaintext)
  const payload = new Uint8Array(sealed.length + GCM_NONCE_LENGTH)
  payload.set(sealed)
  payload.set(nonce, sealed.length)
  return { header: { key: secp.getPublicKey(ephemeralKey, true) }, payload }
}

/** `DecodeError` on a malformed key or short payload, `VerificationError` on a bad tag. */
export function decryptWithDh(
  secp: Secp256k1Provider,
  identityKey: Uint8Array,
  header: DHHeader,
  payload: Uint8Array,
): Uint8Array {
  if (header.key.length !== 33 || !secp.isValidPublicKey(header.key)) {
    throw new DecodeError('DH header key is not a compressed secp256k1 public key')
  }
  if (payload.length < GCM_TAG_LENGTH + GCM_NONCE_LENGTH) throw new DecodeError('DH payload is too short')
  const key = secp.ecdh(identityKey, header.key)
  const nonce = payload.subarray(payload.length - GCM_NONCE_LENGTH)
  try {
    return aes256GcmDecrypt(key, nonce, payload.subarray(0, payload.length - GCM_NONCE_LENGTH))
  } catch (cause) {
    if (cause instanceof DecodeError) throw cause
    throw new VerificationError('DH message authentication failed', { cause })
  }
}
