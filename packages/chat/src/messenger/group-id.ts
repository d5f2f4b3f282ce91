/**
 * The MVDS group of a one-to-one pair (status-go datasync `ToOneToOneGroupID`): keccak256 of both
 * compressed keys, the one with the lower X coordinate first. Same bytes as `@parley/sync-mvds`
 * `toOneToOneGroupId`; kept here so the chat package does not depend on an MVDS implementation.
 */
import { concatBytes, keccak256 } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

export function oneToOneGroupId(secp: Secp256k1Provider, a: Uint8Array, b: Uint8Array): Uint8Array {
  const ca = secp.convertPublicKey(a, true)
  const cb = secp.convertPublicKey(b, true)
  // on equal X, `b` goes first, as status-go's comparison does
  const [first, second] = compareBytes(ca.subarray(1), cb.subarray(1)) < 0 ? [ca, cb] : [cb, ca]
  return keccak256(concatBytes(first, second))
}
