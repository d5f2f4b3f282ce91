/**
 * Byte helpers shared by every Parley package. Hex is lowercase on output; input may carry a `0x`
 * prefix and either case.
 */
import { InvalidParametersError } from '@parley/interfaces'

const HEX_DIGITS = '0123456789abcdef'
const BYTE_TO_HEX: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) => `${HEX_DIGITS[byte >> 4]}${HEX_DIGITS[byte & 15]}`,
)

export function bytesToHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += BYTE_TO_HEX[byte]
  return hex
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/** Parses hex with an optional `0x` prefix; throws `InvalidParametersError` on odd length or a non-hex digit. */
export function hexToBytes(hex: string): Uint8Array {
  const start = hex.startsWith('0x') || hex.startsWith('0X') ? 2 : 0
  const digits = hex.length - start
  if (digits % 2 !== 0) throw new InvalidParametersError(`Hex string has an odd number of digits (${digits})`)
  const bytes = new Uint8Array(digits / 2)
  for (let i = 0; i < bytes.length; i++) {
    const high = nibble(hex.charCodeAt(start + 2 * i))
    const low = nibble(hex.charCodeAt(start + 2 * i + 1))
    if (high < 0 || low < 0)
      throw new InvalidParametersError(`Invalid hex digit near position ${start + 2 * i}`)
    bytes[i] = (high << 4) | low
  }
  return bytes
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/**
 * Compares two byte arrays. When the lengths match, the time taken does not depend on where they
 * differ, so it is safe for MACs and tags (a length mismatch returns at once: lengths are public).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

const encoder = new TextEncoder()

export function utf8ToBytes(text: string): Uint8Array {
  return encoder.encode(text)
}
