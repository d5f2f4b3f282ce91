/**
 * The ack message, recipient → initiator:
 *
 *   EIP-8:  rlp([recipient-ephemeral-pubkey(64), nonce(32), version, ...]) || padding
 *   legacy: recipient-ephemeral-pubkey(64) || nonce(32) || 0x00
 */
import { ECIES_OVERHEAD, eciesDecrypt, eciesEncrypt } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError } from '@parley/interfaces'
import { asBytes, asList, decodePrefix, encode, type RlpValue, toBigInt } from '@parley/rlp'
import type { OpenOptions } from './auth.ts'
import { fixedBytes } from './bytes.ts'
import { HANDSHAKE_VERSION, openEip8, type SealOptions, sealEip8 } from './eip8.ts'

/** A pre-EIP-8 ack packet: ECIES over a fixed 97-byte body. */
export const LEGACY_ACK_LENGTH = 97 + ECIES_OVERHEAD

export interface AckMessage {
  /** the recipient's ephemeral public key, 64 bytes (no 0x04) */
  ephemeralPublicKey: Uint8Array
  nonce: Uint8Array
  version: number
  rest: RlpValue[]
  legacy: boolean
}

type AckFields = Pick<AckMessage, 'ephemeralPublicKey' | 'nonce'>

export function sealAck(
  secp: Secp256k1Provider,
  initiatorPublicKey: Uint8Array,
  message: AckFields,
  options?: SealOptions,
): Uint8Array {
  return sealEip8(
    secp,
    initiatorPublicKey,
    encode([message.ephemeralPublicKey, message.nonce, HANDSHAKE_VERSION]),
    options,
  )
}

/** The pre-EIP-8 ack, sent only in reply to a pre-EIP-8 auth. */
export function sealLegacyAck(
  secp: Secp256k1Provider,
  initiatorPublicKey: Uint8Array,
  message: AckFields,
): Uint8Array {
  const plain = new Uint8Array(97)
  plain.set(message.ephemeralPublicKey, 0)
  plain.set(message.nonce, 64)
  return eciesEncrypt(secp, initiatorPublicKey, plain)
}

export function decodeAckBody(plaintext: Uint8Array): AckMessage {
  const fields = asList(decodePrefix(plaintext).value, 'ack')
  if (fields.length < 3) throw new DecodeError(`ack has ${fields.length} elements, needs at least 3`)
  return {
    ephemeralPublicKey: fixedBytes(asBytes(fields[0], 'ack public key'), 64, 'ack public key'),
    nonce: fixedBytes(asBytes(fields[1], 'ack nonce'), 32, 'ack nonce'),
    version: Number(toBigInt(fields[2], 8, 'ack version')),
    rest: fields.slice(3),
    legacy: false,
  }
}

/** Decrypts and parses an ack packet with the initiator's static private key. */
export function openAck(
  secp: Secp256k1Provider,
  privateKey: Uint8Array,
  packet: Uint8Array,
  options: OpenOptions = {},
): AckMessage {
  // An EIP-8 packet starting with 04 would announce at least 1024 bytes, so this is unambiguous.
  if (options.allowLegacy === true && packet.length === LEGACY_ACK_LENGTH && packet[0] === 0x04) {
    const plain = eciesDecrypt(secp, privateKey, packet)
    return {
      ephemeralPublicKey: plain.slice(0, 64),
      nonce: plain.slice(64, 96),
      version: HANDSHAKE_VERSION,
      rest: [],
      legacy: true,
    }
  }
  return decodeAckBody(openEip8(secp, privateKey, packet))
}
