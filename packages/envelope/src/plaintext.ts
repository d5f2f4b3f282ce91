/**
 * The version-1 plaintext: `flags(1) || size(flags & 3 bytes, little-endian) || payload || padding
 * || [signature(65)]`. Byte-compatible with go-ethereum whisperv6, status-go waku and go-waku/js-waku
 * version-1 payloads.
 */
import { keccak256, randomBytes } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import {
  checkLength,
  type DecodeLimits,
  MAX_PAYLOAD_LENGTH,
  PADDING_BLOCK,
  SIGNATURE_FLAG,
  SIGNATURE_LENGTH,
  SIZE_FIELD_MASK,
} from './limits.ts'

export interface PayloadMessage {
  payload: Uint8Array
  /** 32-byte secp256k1 private key; when set, the plaintext is signed. */
  signingKey?: Uint8Array
  /**
   * Padding used exactly as given. Absent or empty means automatic: random bytes that bring the
   * plaintext, signature included, to a multiple of 256 (go-ethereum treats empty the same way).
   */
  padding?: Uint8Array
}

export interface EncodeOptions {
  /** Needed only with `signingKey`. */
  secp256k1?: Secp256k1Provider
}

export interface DecodeOptions extends DecodeLimits {
  /** Recovers the signer of signed plaintexts. */
  secp256k1: Secp256k1Provider
}

export interface DecodedPayload {
  payload: Uint8Array
  padding: Uint8Array
  /** The 65-byte `r || s || v` signature, when the signed flag is set. */
  signature?: Uint8Array
  /** The signer's 65-byte uncompressed public key, recovered from `signature`. */
  signer?: Uint8Array
}

/** Bytes needed for the little-endian size field: 1 below 256, 2 below 65 536, else 3. */
export function sizeFieldLength(payloadLength: number): number {
  let length = 1
  for (let rest = payloadLength; rest >= 256; rest = Math.floor(rest / 256)) length++
  return length
}

/**
 * Automatic padding length: 256 minus the remainder of `flags + size + payload + [signature]` modulo
 * 256. When that sum is already a multiple of 256 a full 256 bytes is added, as go-ethereum and
 * nim-eth do (the vectors `padding-payload254-unsigned` pin this).
 */
export function automaticPaddingLength(payloadLength: number, signed: boolean): number {
  const unpadded = 1 + sizeFieldLength(payloadLength) + payloadLength + (signed ? SIGNATURE_LENGTH : 0)
  return PADDING_BLOCK - (unpadded % PADDING_BLOCK)
}

/** Builds the plaintext, signing it when `signingKey` is set. */
export function encodePayload(message: PayloadMessage, options: EncodeOptions = {}): Uint8Array {
  const { payload, signingKey } = message
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new InvalidParametersError(
      `Payload is ${payload.length} bytes; a 3-byte size field holds at most ${MAX_PAYLOAD_LENGTH}`,
    )
  }
  const signed = signingKey !== undefined
  const secp = options.secp256k1
  if (signed && secp === undefined) {
    throw new InvalidParametersError('Signing a payload needs a secp256k1 provider (options.secp256k1)')
  }
  const sizeLength = sizeFieldLength(payload.length)
  const padding =
    message.padding !== undefined && message.padding.length > 0
      ? message.padding
      : randomBytes(automaticPaddingLength(payload.length, signed))

  const unsignedLength = 1 + sizeLength + payload.length + padding.length
  const out = new Uint8Array(unsignedLength + (signed ? SIGNATURE_LENGTH : 0))
  out[0] = sizeLength | (signed ? SIGNATURE_FLAG : 0)
  for (let i = 0, rest = payload.length; i < sizeLength; i++, rest = Math.floor(rest / 256)) {
    out[1 + i] = rest & 0xff
  }
  out.set(payload, 1 + sizeLength)
  out.set(padding, 1 + sizeLength + payload.length)
  if (signed && secp !== undefined) {
    // The hash covers the flags byte with the signed bit already set.
    const hash = keccak256(out.subarray(0, unsignedLength))
    out.set(secp.sign(hash, signingKey), unsignedLength)
  }
  return out
}

/**
 * Parses a decrypted plaintext and recovers its signer. Throws `DecodeError` when the fields do not
 * fit, `VerificationError` when a signature recovers no key; never anything else on any input.
 * `payload` and `padding` are views into `plaintext`.
 */
export function decodePayload(plaintext: Uint8Array, options: DecodeOptions): DecodedPayload {
  checkLength(plaintext, 'Payload plaintext', options)
  const flags = plaintext[0]
  if (flags === undefined) throw new DecodeError('Payload plaintext is empty')

  let end = plaintext.length
  let signature: Uint8Array | undefined
  if ((flags & SIGNATURE_FLAG) !== 0) {
    end -= SIGNATURE_LENGTH
    // go-ethereum also rejects a signed plaintext with nothing between flags and signature.
    if (end <= 1) throw new DecodeError('Signed payload plaintext is too short for its signature')
    signature = plaintext.subarray(end)
  }

  const sizeLength = flags & SIZE_FIELD_MASK
  let offset = 1
  let payloadLength = 0
  if (sizeLength > 0) {
    if (offset + sizeLength > end) throw new DecodeError('Payload size field is truncated')
    for (let i = sizeLength - 1; i >= 0; i--) payloadLength = payloadLength * 256 + plaintext[offset + i]!
    offset += sizeLength
    if (offset + payloadLength > end) {
      throw new DecodeError(`Payload size ${payloadLength} exceeds the ${end - offset} bytes present`)
    }
  }
  const decoded: DecodedPayload = {
    payload: plaintext.subarray(offset, offset + payloadLength),
    padding: plaintext.subarray(offset + payloadLength, end),
  }
  if (signature !== undefined) {
    decoded.signature = signature
    decoded.signer = recoverSigner(options.secp256k1, keccak256(plaintext.subarray(0, end)), signature)
  }
  return decoded
}

function recoverSigner(secp: Secp256k1Provider, hash: Uint8Array, signature: Uint8Array): Uint8Array {
  try {
    return secp.recover(hash, signature, false)
  } catch (cause) {
    if (cause instanceof VerificationError) throw cause
    throw new VerificationError('Payload signature does not recover a public key', { cause })
  }
}
