/**
 * Connection secrets, derived identically on both sides once auth and ack have crossed:
 *
 *   ecdhe  = x(ephemeral-private × remote-ephemeral-public)
 *   shared = keccak256(ecdhe || keccak256(recipient-nonce || initiator-nonce))
 *   aes    = keccak256(ecdhe || shared)
 *   mac    = keccak256(ecdhe || aes)
 *   initiator egress = recipient ingress = keccak256 state of (mac ^ recipient-nonce) || auth
 *   initiator ingress = recipient egress = keccak256 state of (mac ^ initiator-nonce) || ack
 *
 * auth and ack are the packets as sent, size prefix included.
 */
import { concatBytes, createKeccak256, type Keccak256Stream, keccak256 } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { xorBytes } from './bytes.ts'

/** The running MAC state of one direction: keccak256 whose digest leaves it open. */
export type MacState = Pick<Keccak256Stream, 'update' | 'digest'>

export interface Secrets {
  /** the remote node's static public key, 64 bytes (no 0x04) */
  remotePublicKey: Uint8Array
  /** AES-256-CTR key for frames, both directions */
  aes: Uint8Array
  /** AES-256-ECB key for frame MACs */
  mac: Uint8Array
  egressMac: MacState
  ingressMac: MacState
}

export interface SecretsInput {
  secp: Secp256k1Provider
  initiator: boolean
  ephemeralPrivateKey: Uint8Array
  /** 64 or 65 bytes */
  remoteEphemeralPublicKey: Uint8Array
  remotePublicKey: Uint8Array
  initiatorNonce: Uint8Array
  recipientNonce: Uint8Array
  authPacket: Uint8Array
  ackPacket: Uint8Array
}

export function deriveSecrets(input: SecretsInput): Secrets {
  const ecdhe = input.secp.ecdh(input.ephemeralPrivateKey, withPrefix(input.remoteEphemeralPublicKey))
  const shared = keccak256(
    concatBytes(ecdhe, keccak256(concatBytes(input.recipientNonce, input.initiatorNonce))),
  )
  const aes = keccak256(concatBytes(ecdhe, shared))
  const mac = keccak256(concatBytes(ecdhe, aes))
  const authSide = createKeccak256().update(xorBytes(mac, input.recipientNonce)).update(input.authPacket)
  const ackSide = createKeccak256().update(xorBytes(mac, input.initiatorNonce)).update(input.ackPacket)
  return {
    remotePublicKey: withoutPrefix(input.remotePublicKey),
    aes,
    mac,
    egressMac: input.initiator ? authSide : ackSide,
    ingressMac: input.initiator ? ackSide : authSide,
  }
}

/** The 65-byte SEC1 form of a devp2p 64-byte public key (unchanged if it already has 0x04). */
export function withPrefix(publicKey: Uint8Array): Uint8Array {
  return publicKey.length === 64 ? concatBytes(Uint8Array.of(4), publicKey) : publicKey
}

/** The 64-byte devp2p form of an uncompressed public key. */
export function withoutPrefix(publicKey: Uint8Array): Uint8Array {
  return publicKey.length === 65 ? publicKey.slice(1) : publicKey
}
