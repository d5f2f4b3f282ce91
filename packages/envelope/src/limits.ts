/** Sizes and limits of the version-1 payload format (Whisper v6, Waku v1, Waku v2 version 1). */
import { DecodeError } from '@parley/interfaces'

/** Flags bits 0-1: how many bytes the little-endian payload-size field takes (0 = no payload). */
export const SIZE_FIELD_MASK = 0x03
/** Flags bit 2: a 65-byte signature ends the plaintext. */
export const SIGNATURE_FLAG = 0x04
/** `r || s || v`, v a recovery id (0 or 1 from every deployed signer). */
export const SIGNATURE_LENGTH = 65
/** Automatic padding brings the plaintext up to a multiple of this. */
export const PADDING_BLOCK = 256
/** The largest payload a 3-byte size field can describe (flags & 3 cannot say 4). */
export const MAX_PAYLOAD_LENGTH = 0xff_ffff
/** AES-256-GCM key, nonce and tag lengths as Whisper and Waku use them. */
export const SYM_KEY_LENGTH = 32
export const AES_NONCE_LENGTH = 12
export const AES_TAG_LENGTH = 16
/**
 * Default cap on bytes a decoder accepts: go-ethereum's Whisper `MaxMessageSize` (10 MiB). Waku v2
 * relays cap whole messages at 150 KiB, so its callers may pass a smaller `maxLength`.
 */
export const DEFAULT_MAX_LENGTH = 10 * 1024 * 1024

export interface DecodeLimits {
  /** Reject inputs longer than this many bytes before any work (default `DEFAULT_MAX_LENGTH`). */
  maxLength?: number
}

/** Throws `DecodeError` when untrusted input is over the caller's limit. */
export function checkLength(data: Uint8Array, what: string, limits: DecodeLimits | undefined): void {
  const maxLength = limits?.maxLength ?? DEFAULT_MAX_LENGTH
  if (data.length > maxLength) {
    throw new DecodeError(`${what} is ${data.length} bytes, over the ${maxLength}-byte limit`)
  }
}
