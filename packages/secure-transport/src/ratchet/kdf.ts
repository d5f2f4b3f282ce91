/**
 * The key derivations and message cipher of status-im/doubleratchet `DefaultCrypto`, which status-go
 * uses. Where it departs from Signal's Double Ratchet document:
 * - KDF_CK uses HMAC inputs 0x0f (next chain key) and 0x10 (message key), not 0x02 / 0x01;
 * - messages are AES-256-CTR with an IV derived from the message key, not AES-CBC;
 * - the HMAC covers AD || IV || ciphertext and its full 32 bytes are appended;
 * - DH is secp256k1 (raw x coordinate), not Curve25519.
 */
import { aesCtr, concatBytes, equalBytes, hkdfSha256, hmacSha256, utf8ToBytes } from '@parley/crypto'
import { DecodeError, VerificationError } from '@parley/interfaces'

const ROOT_INFO = utf8ToBytes('rsZUpEuXUqqwXBvSy3EcievAh4cMj6QL')
const MESSAGE_INFO = utf8ToBytes('pcwSByyx2CRdryCffXJwy7xgVZWtW5Sh')
const ZERO_SALT = new Uint8Array(32)
const CHAIN_KEY_INPUT = Uint8Array.of(0x0f)
const MESSAGE_KEY_INPUT = Uint8Array.of(0x10)

export const IV_LENGTH = 16
export const TAG_LENGTH = 32

export interface RootStep {
  rootKey: Uint8Array
  chainKey: Uint8Array
  /** derived but unused: status-go does not encrypt headers */
  headerKey: Uint8Array
}

/** KDF_RK: HKDF-SHA256(ikm = DH output, salt = root key) → root key, chain key, header key. */
export function kdfRk(rootKey: Uint8Array, dhOutput: Uint8Array): RootStep {
  const out = hkdfSha256(dhOutput, rootKey, ROOT_INFO, 96)
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64), headerKey: out.slice(64, 96) }
}

/** KDF_CK: the next chain key and this step's message key. */
export function kdfCk(chainKey: Uint8Array): { chainKey: Uint8Array; messageKey: Uint8Array } {
  return {
    chainKey: hmacSha256(chainKey, CHAIN_KEY_INPUT),
    messageKey: hmacSha256(chainKey, MESSAGE_KEY_INPUT),
  }
}

export interface MessageKeys {
  encKey: Uint8Array
  authKey: Uint8Array
  iv: Uint8Array
}

/** HKDF-SHA256(ikm = message key, salt = 32 zero bytes) → encryption key, MAC key, IV. */
export function deriveMessageKeys(messageKey: Uint8Array): MessageKeys {
  const out = hkdfSha256(messageKey, ZERO_SALT, MESSAGE_INFO, 80)
  return { encKey: out.slice(0, 32), authKey: out.slice(32, 64), iv: out.slice(64, 80) }
}

/** `IV || AES-256-CTR(plaintext) || HMAC-SHA256(auth, AD || IV || ciphertext)`. */
export function sealMessage(messageKey: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  const { encKey, authKey, iv } = deriveMessageKeys(messageKey)
  const body = concatBytes(iv, aesCtr(encKey, iv, plaintext))
  return concatBytes(body, hmacSha256(authKey, concatBytes(ad, body)))
}

/** Checks the MAC, then decrypts. `VerificationError` on a bad MAC, `DecodeError` if too short. */
export function openMessage(messageKey: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  if (sealed.length < IV_LENGTH + TAG_LENGTH) throw new DecodeError('ratchet ciphertext is too short')
  const { encKey, authKey } = deriveMessageKeys(messageKey)
  const body = sealed.subarray(0, sealed.length - TAG_LENGTH)
  const tag = sealed.subarray(sealed.length - TAG_LENGTH)
  if (!equalBytes(hmacSha256(authKey, concatBytes(ad, body)), tag)) {
    throw new VerificationError('ratchet message authentication failed')
  }
  // The IV on the wire is authenticated; status-go decrypts with it rather than the derived one.
  return aesCtr(encKey, body.subarray(0, IV_LENGTH), body.subarray(IV_LENGTH))
}

export interface RatchetHeader {
  /** the sender's current ratchet public key, 33-byte compressed */
  dh: Uint8Array
  /** message number in the sending chain */
  n: number
  /** length of the sender's previous sending chain */
  pn: number
}

/** The header part of the associated data: `uint32_le(N) || uint32_le(PN) || DH`. */
export function encodeHeader(header: RatchetHeader): Uint8Array {
  const out = new Uint8Array(8 + header.dh.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, header.n, true)
  view.setUint32(4, header.pn, true)
  out.set(header.dh, 8)
  return out
}
