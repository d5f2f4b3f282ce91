/** Cryptographically secure random bytes from the platform CSPRNG (WebCrypto, present in Node and browsers). */
import { InvalidParametersError, UnsupportedError } from '@parley/interfaces'

/** `getRandomValues` fills at most 65 536 bytes per call. */
const MAX_CHUNK = 65_536

export function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidParametersError(`randomBytes length must be a non-negative integer, got ${length}`)
  }
  const webCrypto = globalThis.crypto
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new UnsupportedError('No secure random source (globalThis.crypto.getRandomValues) in this runtime')
  }
  const out = new Uint8Array(length)
  for (let offset = 0; offset < length; offset += MAX_CHUNK) {
    webCrypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_CHUNK)))
  }
  return out
}
