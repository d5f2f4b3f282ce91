import { keccak256 } from '@parley/crypto'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'

/** The 20-byte Ethereum address of a secp256k1 public key: keccak256(X || Y)[12:32]. */
export function publicKeyToAddress(secp: Secp256k1Provider, publicKey: Uint8Array): Uint8Array {
  const uncompressed = secp.convertPublicKey(publicKey, false)
  return keccak256(uncompressed.subarray(1)).slice(12)
}

/** The public key's X coordinate as an unsigned integer. */
export function publicKeyX(secp: Secp256k1Provider, publicKey: Uint8Array): bigint {
  const uncompressed = secp.convertPublicKey(publicKey, false)
  let x = 0n
  for (const byte of uncompressed.subarray(1, 33)) x = (x << 8n) | BigInt(byte)
  return x
}

/**
 * status-go helpers.go `publicKeyMostRelevantBytes`: uint32 little-endian of the uncompressed key's
 * bytes 1..5. Communities' hash-ratchet rekey messages key their per-member entries by it.
 */
export function publicKeyMostRelevantBytes(secp: Secp256k1Provider, publicKey: Uint8Array): number {
  const uncompressed = secp.convertPublicKey(publicKey, false)
  return new DataView(uncompressed.buffer, uncompressed.byteOffset + 1, 4).getUint32(0, true)
}

/** A caller's 33- or 65-byte public key, compressed; `InvalidParametersError` if it is not one. */
export function compressedPublicKey(secp: Secp256k1Provider, key: Uint8Array): Uint8Array {
  if ((key.length !== 33 && key.length !== 65) || !secp.isValidPublicKey(key)) {
    throw new InvalidParametersError('expected a 33- or 65-byte secp256k1 public key')
  }
  return secp.convertPublicKey(key, true)
}
