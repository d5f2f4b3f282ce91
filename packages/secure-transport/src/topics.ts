/** Topic names of the secure transport (status-go protocol/transport/topic.go, 54/WAKU2-X3DH-SESSIONS). */
import { bytesToHex } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { publicKeyX } from './keys.ts'

export const PARTITIONS = 5000n

/** The partition of a public key: its X coordinate mod 5000. */
export function partitionOf(secp: Secp256k1Provider, publicKey: Uint8Array): number {
  return Number(publicKeyX(secp, publicKey) % PARTITIONS)
}

/** `contact-discovery-<X mod 5000>`, where first messages to a key are sent. */
export function partitionedTopicName(secp: Secp256k1Provider, publicKey: Uint8Array): string {
  return `contact-discovery-${partitionOf(secp, publicKey)}`
}

/**
 * The 1:1 topic both sides switch to once they share a session: lowercase hex of
 * DH(IK_me, IK_them) (the symmetric key is PBKDF2 of the same string, see @parley/crypto).
 */
export function negotiatedTopicName(
  secp: Secp256k1Provider,
  identityKey: Uint8Array,
  theirIdentity: Uint8Array,
): string {
  return bytesToHex(secp.ecdh(identityKey, theirIdentity))
}

/** The 4-byte Waku v1 topic of a name is the envelope package's. */
export { topicFromName } from '@parley/envelope'
