/**
 * EIP-8 handshake packet sealing: `size(2, BE) || ECIES(pubkey, body || padding, s2 = size)`.
 * Shared by auth and ack.
 */
import { ECIES_OVERHEAD, eciesDecrypt, eciesEncrypt, randomBytes } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError, LimitExceededError } from '@parley/interfaces'

/** go-ethereum refuses handshake packets whose size prefix is above this. */
export const MAX_HANDSHAKE_SIZE = 2048
/** The version both sides write in auth and ack (auth-vsn, ack-vsn). */
export const HANDSHAKE_VERSION = 4

/** go-ethereum's sealEIP8: 100..199 zero bytes, so the packet length does not reveal the body. */
export function defaultPadding(): Uint8Array {
  return new Uint8Array(100 + (randomBytes(1)[0]! % 100))
}

export interface SealOptions {
  /** Padding after the RLP body; default `defaultPadding()`. */
  padding?: Uint8Array
  /** Fixes the ECIES ephemeral key and IV, for known-answer tests only. */
  eciesEphemeralKey?: Uint8Array
  eciesIv?: Uint8Array
}

export function sealEip8(
  secp: Secp256k1Provider,
  remotePublicKey: Uint8Array,
  body: Uint8Array,
  options: SealOptions = {},
): Uint8Array {
  const padding = options.padding ?? defaultPadding()
  const size = body.length + padding.length + ECIES_OVERHEAD
  if (size > MAX_HANDSHAKE_SIZE)
    throw new LimitExceededError(`handshake packet of ${size} bytes is too large`)
  const prefix = Uint8Array.of(size >> 8, size & 0xff)
  const plaintext = new Uint8Array(body.length + padding.length)
  plaintext.set(body, 0)
  plaintext.set(padding, body.length)
  const sealed = eciesEncrypt(secp, remotePublicKey, plaintext, {
    s2: prefix,
    ...(options.eciesEphemeralKey === undefined ? {} : { ephemeralPrivateKey: options.eciesEphemeralKey }),
    ...(options.eciesIv === undefined ? {} : { iv: options.eciesIv }),
  })
  const packet = new Uint8Array(2 + sealed.length)
  packet.set(prefix, 0)
  packet.set(sealed, 2)
  return packet
}

/**
 * The whole packet length (prefix included) announced by its first two bytes, for a reader that
 * receives the packet in pieces. Throws `LimitExceededError` above `MAX_HANDSHAKE_SIZE`.
 */
export function eip8PacketLength(prefix: Uint8Array): number {
  if (prefix.length < 2) throw new DecodeError('handshake size prefix needs 2 bytes')
  const size = (prefix[0]! << 8) | prefix[1]!
  if (size > MAX_HANDSHAKE_SIZE)
    throw new LimitExceededError(`handshake packet announces ${size} bytes, over ${MAX_HANDSHAKE_SIZE}`)
  return size + 2
}

/** Decrypts an EIP-8 packet and returns the plaintext (RLP body followed by padding). */
export function openEip8(secp: Secp256k1Provider, privateKey: Uint8Array, packet: Uint8Array): Uint8Array {
  const length = eip8PacketLength(packet)
  if (packet.length !== length)
    throw new DecodeError(`handshake packet is ${packet.length} bytes, its prefix says ${length}`)
  return eciesDecrypt(secp, privateKey, packet.subarray(2), { s2: packet.subarray(0, 2) })
}
