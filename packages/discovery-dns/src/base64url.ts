import { DecodeError } from '@parley/interfaces'

/** Unpadded base64url (RFC 4648 §5), the encoding of root signatures. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUES = new Map<string, number>([...ALPHABET].map((char, index) => [char, index]))

export function base64urlEncode(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 6) {
      bits -= 6
      out += ALPHABET[(buffer >> bits) & 63]
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (6 - bits)) & 63]
  return out
}

export function base64urlDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new DecodeError(`base64url: impossible length ${text.length}`)
  const out = new Uint8Array(Math.floor((text.length * 6) / 8))
  let buffer = 0
  let bits = 0
  let index = 0
  for (const char of text) {
    const value = VALUES.get(char)
    if (value === undefined) throw new DecodeError(`base64url: invalid character ${JSON.stringify(char)}`)
    buffer = ((buffer << 6) | value) & 0xffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[index++] = (buffer >> bits) & 0xff
    }
  }
  return out
}
