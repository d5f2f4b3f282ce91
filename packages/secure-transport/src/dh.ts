/**
 * The DH fallback status-go uses when it knows no bundle of the recipient (encryptor.go
 * `encryptWithDH`): a fresh ephemeral key, `key = DH(ephemeral, IK_B)` (raw x coordinate) and
 * AES-256-GCM laid out as `ciphertext || tag || nonce(12)` (`crypto.EncryptSymmetric`). It has no
 * forward secrecy beyond the ephemeral key and no replay protection; the first reply upgrades to X3DH.
 */
import { generatePrivateKey } from '@parley/crypto'
import { DecodeError, type Secp256k1Provider } from '@parley/interfaces'
import type { DHHeader } from './protocol-message.ts'
import { openSymmetric, sealSymmetric } from './symmetric.ts'

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
  const payload = sealSymmetric(secp.ecdh(ephemeralKey, theirIdentity), plaintext)
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
  return openSymmetric(secp.ecdh(identityKey, header.key), payload, 'DH')
}
