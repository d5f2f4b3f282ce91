/**
 * Checks and layouts shared by every secp256k1 provider, so that all of them accept and reject
 * exactly the same inputs, whatever the underlying library would tolerate (libsecp256k1 parses
 * "hybrid" 0x06/0x07 keys, noble does not; each throws its own error types).
 */
import { InvalidParametersError, VerificationError } from '@parley/interfaces'

export const PRIVATE_KEY_LENGTH = 32
export const HASH_LENGTH = 32
export const COMPRESSED_LENGTH = 33
export const UNCOMPRESSED_LENGTH = 65
export const SIGNATURE_LENGTH = 65

/** The curve order n. */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

function toBigInt(bytes: Uint8Array): bigint {
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return value
}

/** A private key is a 32-byte big-endian scalar in [1, n-1]; leading zero bytes are significant. */
export function isPrivateKeyInRange(privateKey: Uint8Array): boolean {
  if (privateKey.length !== PRIVATE_KEY_LENGTH) return false
  const scalar = toBigInt(privateKey)
  return scalar > 0n && scalar < CURVE_ORDER
}

/** Only SEC1 compressed (0x02/0x03, 33 bytes) and uncompressed (0x04, 65 bytes) encodings are accepted. */
export function hasPublicKeyLayout(publicKey: Uint8Array): boolean {
  const prefix = publicKey[0]
  if (publicKey.length === COMPRESSED_LENGTH) return prefix === 0x02 || prefix === 0x03
  if (publicKey.length === UNCOMPRESSED_LENGTH) return prefix === 0x04
  return false
}

export function assertPrivateKey(privateKey: Uint8Array): void {
  if (!isPrivateKeyInRange(privateKey)) {
    throw new InvalidParametersError('Private key must be 32 bytes encoding a scalar in [1, n-1]')
  }
}

export function assertHash(hash: Uint8Array): void {
  if (hash.length !== HASH_LENGTH) {
    throw new InvalidParametersError(`Message hash must be ${HASH_LENGTH} bytes, got ${hash.length}`)
  }
}

/**
 * Runs a library call on a public key that came from outside; a layout or curve failure becomes an
 * `InvalidParametersError` instead of the library's own error type.
 */
export function withPublicKey<T>(publicKey: Uint8Array, call: () => T | null | undefined): T {
  if (hasPublicKeyLayout(publicKey)) {
    try {
      const result = call()
      if (result !== null && result !== undefined) return result
    } catch {
      // fall through: the library rejected the point
    }
  }
  throw new InvalidParametersError('Public key is not a valid secp256k1 point (33 or 65 bytes, SEC1)')
}

/** The parts of a 65-byte `r || s || v` signature; `v` must be a recovery id 0..3. */
export interface SplitSignature {
  compact: Uint8Array
  recovery: number
}

export function splitRecoverable(signature: Uint8Array): SplitSignature {
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new VerificationError(
      `Recoverable signature must be ${SIGNATURE_LENGTH} bytes, got ${signature.length}`,
    )
  }
  const recovery = signature[64]!
  if (recovery > 3) throw new VerificationError(`Signature recovery id must be 0..3, got ${recovery}`)
  return { compact: signature.subarray(0, 64), recovery }
}

export function joinRecoverable(compact: Uint8Array, recovery: number): Uint8Array {
  const signature = new Uint8Array(SIGNATURE_LENGTH)
  signature.set(compact, 0)
  signature[64] = recovery
  return signature
}

/** Runs a recovery; any library failure becomes a `VerificationError`. */
export function recovered(call: () => Uint8Array | null | undefined): Uint8Array {
  let key: Uint8Array | null | undefined
  try {
    key = call()
  } catch (cause) {
    throw new VerificationError('Signature does not recover a public key', { cause })
  }
  if (key === null || key === undefined)
    throw new VerificationError('Signature does not recover a public key')
  return key
}

const HALF_CURVE_ORDER = CURVE_ORDER >> 1n

/**
 * verify() never throws on a malformed signature or key: it is simply not valid. A high-s signature
 * is not valid either, as in go-ethereum's VerifySignature and libsecp256k1 (malleability).
 */
export function verified(
  signature: Uint8Array,
  publicKey: Uint8Array,
  call: (compact: Uint8Array) => boolean,
): boolean {
  if (signature.length !== 64 && signature.length !== SIGNATURE_LENGTH) return false
  if (!hasPublicKeyLayout(publicKey)) return false
  const compact = signature.subarray(0, 64)
  if (toBigInt(compact.subarray(32, 64)) > HALF_CURVE_ORDER) return false
  try {
    return call(compact)
  } catch {
    return false
  }
}
