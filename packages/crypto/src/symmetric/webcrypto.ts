/**
 * PBKDF2 through WebCrypto. Where node:crypto is absent (browsers), this beats pure JavaScript by an
 * order of magnitude for Whisper's 65 356 iterations; it is only available asynchronously.
 */
import type { AbortOptions } from '@parley/interfaces'
import { abortable, throwIfAborted } from '../abort.ts'
import { checkPbkdf2 } from './backend.ts'

export function hasWebCryptoPbkdf2(): boolean {
  return typeof globalThis.crypto?.subtle?.deriveBits === 'function'
}

/** WebCrypto's BufferSource wants ArrayBuffer-backed views; copy anything else. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

export async function webCryptoPbkdf2Sha256(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
  options?: AbortOptions,
): Promise<Uint8Array> {
  checkPbkdf2(iterations, length)
  throwIfAborted(options?.signal)
  const subtle = globalThis.crypto.subtle
  const work = (async () => {
    const key = await subtle.importKey('raw', bufferSource(password), 'PBKDF2', false, ['deriveBits'])
    const params = { name: 'PBKDF2', hash: 'SHA-256', salt: bufferSource(salt), iterations }
    return new Uint8Array(await subtle.deriveBits(params, key, length * 8))
  })()
  return abortable(work, options?.signal)
}
