import { DecodeError } from '@parley/interfaces'

/** `bytes` if it has exactly `length` bytes, else a `DecodeError` naming `what`. */
export function fixedBytes(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length) throw new DecodeError(`${what} must be ${length} bytes, got ${bytes.length}`)
  return bytes
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!
  return out
}
