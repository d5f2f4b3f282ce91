import { DecodeError } from '@parley/interfaces'

/** RFC 4648 §6 base32 (standard alphabet, upper case), written without `=` padding as EIP-1459 does. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const VALUES = new Map<string, number>([...ALPHABET].map((char, index) => [char, index]))

export function base32Encode(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(buffer >> bits) & 31]
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

/**
 * Decodes unpadded base32. Lengths that no byte count produces (1, 3 or 6 characters past a
 * multiple of 8) are rejected; left-over low bits are ignored, as Go's decoder ignores them.
 */
export function base32Decode(text: string): Uint8Array {
  const rest = text.length % 8
  if (rest === 1 || rest === 3 || rest === 6)
    throw new DecodeError(`base32: impossible length ${text.length}`)
  const out = new Uint8Array(Math.floor((text.length * 5) / 8))
  let buffer = 0
  let bits = 0
  let index = 0
  for (const char of text) {
    const value = VALUES.get(char)
    if (value === undefined) throw new DecodeError(`base32: invalid character ${JSON.stringify(char)}`)
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[index++] = (buffer >> bits) & 0xff
    }
  }
  return out
}

/** Length in bytes that `base32Decode` returns for `length` characters. */
export function base32DecodedLength(length: number): number {
  return Math.floor((length * 5) / 8)
}
