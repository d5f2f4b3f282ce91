/**
 * X3DH as status-go deploys it (protocol/encryption/x3dh.go). It differs from Signal's X3DH and from
 * 53/WAKU2-X3DH's text: keys are secp256k1 (not Curve25519), DH is the raw 32-byte x coordinate
 * (go-ethereum ECIES `GenerateShared`), the KDF is a single keccak256, and there are no one-time
 * prekeys.
 */
import { concatBytes, keccak256 } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'

export interface X3dhInitiatorParams {
  /** our identity private key (IK_A) */
  identityKey: Uint8Array
  /** our fresh ephemeral private key (EK_A); its public key travels in the X3DH header */
  ephemeralKey: Uint8Array
  /** their identity public key (IK_B) */
  theirIdentity: Uint8Array
  /** their signed prekey from their bundle (SPK_B) */
  theirSignedPreKey: Uint8Array
}

export interface X3dhResponderParams {
  /** our identity private key (IK_B) */
  identityKey: Uint8Array
  /** the private key of our signed prekey the initiator used (SPK_B) */
  signedPreKey: Uint8Array
  /** their identity public key (IK_A) */
  theirIdentity: Uint8Array
  /** their ephemeral public key from the X3DH header (EK_A) */
  theirEphemeralKey: Uint8Array
}

/** SK = keccak256(DH(IK_A, SPK_B) || DH(EK_A, IK_B) || DH(EK_A, SPK_B)). */
export function x3dhInitiator(secp: Secp256k1Provider, params: X3dhInitiatorParams): Uint8Array {
  return keccak256(
    concatBytes(
      secp.ecdh(params.identityKey, params.theirSignedPreKey),
      secp.ecdh(params.ephemeralKey, params.theirIdentity),
      secp.ecdh(params.ephemeralKey, params.theirSignedPreKey),
    ),
  )
}

/** The same SK from the other side: keccak256(DH(SPK_B, IK_A) || DH(IK_B, EK_A) || DH(SPK_B, EK_A)). */
export function x3dhResponder(secp: Secp256k1Provider, params: X3dhResponderParams): Uint8Array {
  return keccak256(
    concatBytes(
      secp.ecdh(params.signedPreKey, params.theirIdentity),
      secp.ecdh(params.identityKey, params.theirEphemeralKey),
      secp.ecdh(params.signedPreKey, params.theirEphemeralKey),
    ),
  )
}
