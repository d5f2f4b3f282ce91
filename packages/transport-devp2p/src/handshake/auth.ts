/**
 * The auth message, initiator → recipient:
 *
 *   EIP-8:  rlp([signature(65), initiator-pubkey(64), nonce(32), version, ...]) || padding
 *   legacy: signature(65) || keccak256(ephemeral-pubkey)(32) || pubkey(64) || nonce(32) || 0x00
 *
 * The signature is by the initiator's ephemeral key over static-shared-secret XOR nonce; the
 * recipient recovers the ephemeral public key from it.
 */
import { ECIES_OVERHEAD, eciesDecrypt } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError } from '@parley/interfaces'
import { asBytes, asList, decodePrefix, encode, type RlpValue, toBigInt } from '@parley/rlp'
import { fixedBytes } from './bytes.ts'
import { HANDSHAKE_VERSION, openEip8, type SealOptions, sealEip8 } from './eip8.ts'

/** A pre-EIP-8 auth packet: ECIES over a fixed 194-byte body. */
export const LEGACY_AUTH_LENGTH = 194 + ECIES_OVERHEAD

export interface AuthMessage {
  /** 65 bytes, `r || s || v` with v ∈ {0, 1} */
  signature: Uint8Array
  /** the initiator's static public key, 64 bytes (no 0x04) */
  initiatorPublicKey: Uint8Array
  nonce: Uint8Array
  version: number
  /** Elements after the version, kept for forward compatibility and otherwise ignored. */
  rest: RlpValue[]
  /** Whether the packet was in the pre-EIP-8 format. */
  legacy: boolean
}

export function encodeAuthBody(
  message: Pick<AuthMessage, 'signature' | 'initiatorPublicKey' | 'nonce'>,
): Uint8Array {
  return encode([message.signature, message.initiatorPublicKey, message.nonce, HANDSHAKE_VERSION])
}

export function sealAuth(
  secp: Secp256k1Provider,
  recipientPublicKey: Uint8Array,
  message: Pick<AuthMessage, 'signature' | 'initiatorPublicKey' | 'nonce'>,
  options?: SealOptions,
): Uint8Array {
  return sealEip8(secp, recipientPublicKey, encodeAuthBody(message), options)
}

/** Parses the plaintext of an EIP-8 auth; ignores the version, extra elements and trailing bytes. */
export function decodeAuthBody(plaintext: Uint8Array): AuthMessage {
  const fields = asList(decodePrefix(plaintext).value, 'auth')
  if (fields.length < 4) throw new DecodeError(`auth has ${fields.length} elements, needs at least 4`)
  return {
    signature: fixedBytes(asBytes(fields[0], 'auth signature'), 65, 'auth signature'),
    initiatorPublicKey: fixedBytes(asBytes(fields[1], 'auth public key'), 64, 'auth public key'),
    nonce: fixedBytes(asBytes(fields[2], 'auth nonce'), 32, 'auth nonce'),
    version: Number(toBigInt(fields[3], 8, 'auth version')),
    rest: fields.slice(4),
    legacy: false,
  }
}

export interface OpenOptions {
  /** Also accept the pre-EIP-8 format. go-ethereum does not; off by default. */
  allowLegacy?: boolean
}

/**
 * Decrypts and parses an auth packet with the recipient's static private key. Throws
 * `DecodeError`, `VerificationError` (ECIES MAC) or `LimitExceededError` (over 2048 bytes).
 */
export function openAuth(
  secp: Secp256k1Provider,
  privateKey: Uint8Array,
  packet: Uint8Array,
  options: OpenOptions = {},
): AuthMessage {
  // An EIP-8 packet starting with 04 would announce at least 1024 bytes, so this is unambiguous.
  if (options.allowLegacy === true && packet.length === LEGACY_AUTH_LENGTH && packet[0] === 0x04) {
    return openLegacyAuth(eciesDecrypt(secp, privateKey, packet))
  }
  return decodeAuthBody(openEip8(secp, privateKey, packet))
}

function openLegacyAuth(plain: Uint8Array): AuthMessage {
  return {
    signature: plain.slice(0, 65),
    // plain[65..97] is keccak256(ephemeral public key); the caller checks it after recovery.
    initiatorPublicKey: plain.slice(97, 161),
    nonce: plain.slice(161, 193),
    version: HANDSHAKE_VERSION,
    rest: [plain.slice(65, 97)],
    legacy: true,
  }
}
