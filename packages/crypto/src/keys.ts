/** Key generation and devp2p node ids. */
import { InvalidParametersError } from '@parley/interfaces'
import { bytesToHex, hexToBytes } from './bytes.ts'
import { randomBytes } from './random.ts'
import { isPrivateKeyInRange } from './secp256k1/common.ts'
import { nobleSecp256k1Provider } from './secp256k1/noble.ts'

/** A fresh secp256k1 private key: 32 random bytes, redrawn in the (~2^-128) case they are not a valid scalar. */
export function generatePrivateKey(): Uint8Array {
  for (;;) {
    const candidate = randomBytes(32)
    if (isPrivateKeyInRange(candidate)) return candidate
  }
}

/**
 * The devp2p node id of a public key: the 64-byte uncompressed key without its 0x04 prefix, as 128
 * lowercase hex digits (the form in enode URLs). Accepts 33- or 65-byte SEC1 keys.
 */
export function nodeIdFromPublicKey(publicKey: Uint8Array): string {
  // Converting also validates: an invalid key throws InvalidParametersError.
  const uncompressed = nobleSecp256k1Provider.convertPublicKey(publicKey, false)
  return bytesToHex(uncompressed.subarray(1))
}

/** The 65-byte uncompressed public key behind a node id (128 hex digits, or its 64 bytes). */
export function publicKeyFromNodeId(nodeId: string | Uint8Array): Uint8Array {
  const raw = typeof nodeId === 'string' ? hexToBytes(nodeId) : nodeId
  if (raw.length !== 64) throw new InvalidParametersError(`A node id is 64 bytes, got ${raw.length}`)
  const publicKey = new Uint8Array(65)
  publicKey[0] = 0x04
  publicKey.set(raw, 1)
  if (!nobleSecp256k1Provider.isValidPublicKey(publicKey)) {
    throw new InvalidParametersError('Node id is not a point on secp256k1')
  }
  return publicKey
}
