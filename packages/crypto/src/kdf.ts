/** The NIST SP 800-56 concatenation KDF over SHA-256, as go-ethereum's ECIES uses it. */
import { InvalidParametersError } from '@parley/interfaces'
import { sha256 } from './symmetric/index.ts'

const SHA256_LENGTH = 32

/**
 * `length` bytes of `H(be32(1) || z || s1) || H(be32(2) || z || s1) || …`, truncated. The counter
 * starts at 1; `s1` is the optional shared info (empty in RLPx and Whisper).
 */
export function concatKdfSha256(z: Uint8Array, s1: Uint8Array, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > SHA256_LENGTH * 0xffff_ffff) {
    throw new InvalidParametersError(`Concat KDF length must be a non-negative integer, got ${length}`)
  }
  const out = new Uint8Array(length)
  const input = new Uint8Array(4 + z.length + s1.length)
  const view = new DataView(input.buffer)
  input.set(z, 4)
  input.set(s1, 4 + z.length)
  for (let counter = 1, offset = 0; offset < length; counter++, offset += SHA256_LENGTH) {
    view.setUint32(0, counter)
    out.set(sha256(input).subarray(0, length - offset), offset)
  }
  return out
}
