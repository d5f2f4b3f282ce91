/** The node's one secp256k1 key as a libp2p private key, so its peer id is nwaku's `16Uiu2…` form. */
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { InvalidParametersError } from '@parley/interfaces'

export type Libp2pPrivateKey = ReturnType<typeof privateKeyFromRaw>

/** Wraps a raw 32-byte secp256k1 scalar; libp2p derives the compressed public key and peer id. */
export function libp2pPrivateKey(secp256k1PrivateKey: Uint8Array): Libp2pPrivateKey {
  if (secp256k1PrivateKey.length !== 32)
    throw new InvalidParametersError('a libp2p secp256k1 private key must be 32 bytes')
  return privateKeyFromRaw(secp256k1PrivateKey)
}

/** The libp2p peer id (`16Uiu2…`, an identity multihash of the protobuf public key) of a secp256k1 key. */
export function peerIdFromSecp256k1(secp256k1PrivateKey: Uint8Array): string {
  return peerIdFromPrivateKey(libp2pPrivateKey(secp256k1PrivateKey)).toString()
}
