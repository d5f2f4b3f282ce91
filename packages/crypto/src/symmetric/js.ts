/**
 * Symmetric primitives in pure JavaScript (@noble/ciphers, @noble/hashes), for runtimes without
 * node:crypto. Slower, same bytes.
 */

import { ctr, ecb, gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { VerificationError } from '@parley/interfaces'
import { abortable, throwIfAborted } from '../abort.ts'
import type { AesCtrStream, SymmetricBackend } from './backend.ts'
import {
  AES_BLOCK,
  checkBlock,
  checkCtr,
  checkEcb,
  checkGcm,
  checkHkdfLength,
  checkPbkdf2,
  checkSealed,
} from './backend.ts'
import type { KeyInput } from './key.ts'
import { keyBytes } from './key.ts'

/** Adds `blocks` to a 16-byte big-endian counter in place, wrapping at 2^128 as OpenSSL does. */
function advanceCounter(counter: Uint8Array, blocks: number): void {
  let carry = blocks
  for (let i = AES_BLOCK - 1; i >= 0 && carry > 0; i--) {
    const sum = counter[i]! + (carry % 256)
    counter[i] = sum & 0xff
    carry = Math.floor(carry / 256) + (sum >> 8)
  }
}

/** noble's CTR is one-shot, so the stream generates whole keystream blocks and keeps the unused tail. */
function createCtrStream(key: KeyInput, iv: Uint8Array): AesCtrStream {
  const rawKey = keyBytes(key).slice()
  const counter = iv.slice()
  let spare = new Uint8Array(0)
  return {
    update(data) {
      const missing = data.length - spare.length
      let keystream = spare
      if (missing > 0) {
        const blocks = Math.ceil(missing / AES_BLOCK)
        const fresh = ctr(rawKey, counter.slice()).encrypt(new Uint8Array(blocks * AES_BLOCK))
        advanceCounter(counter, blocks)
        keystream = new Uint8Array(spare.length + fresh.length)
        keystream.set(spare)
        keystream.set(fresh, spare.length)
      }
      const out = new Uint8Array(data.length)
      for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ keystream[i]!
      spare = keystream.slice(data.length)
      return out
    },
  }
}

export const jsSymmetricBackend: SymmetricBackend = {
  name: '@noble',
  kind: 'js',
  sha256: (data) => sha256(data),
  hmacSha256: (key, data) => hmac(sha256, keyBytes(key), data),
  aes256GcmEncrypt(key, nonce, plaintext, aad) {
    checkGcm(key, nonce)
    return gcm(keyBytes(key), nonce, aad).encrypt(plaintext)
  },
  aes256GcmDecrypt(key, nonce, sealed, aad) {
    checkGcm(key, nonce)
    checkSealed(sealed)
    try {
      return gcm(keyBytes(key), nonce, aad).decrypt(sealed)
    } catch (cause) {
      throw new VerificationError('AES-GCM authentication tag does not match', { cause })
    }
  },
  aesCtr(key, iv, data) {
    checkCtr(key, iv)
    return ctr(keyBytes(key), iv).encrypt(data)
  },
  createAesCtrStream(key, iv) {
    checkCtr(key, iv)
    return createCtrStream(key, iv)
  },
  createAesEcbEncryptor(key) {
    checkEcb(key)
    const rawKey = keyBytes(key).slice()
    // noble ciphers are single-use, so each block gets its own (re-expanding the key; fallback only).
    return (block) => {
      checkBlock(block)
      return ecb(rawKey, { disablePadding: true }).encrypt(block)
    }
  },
  hkdfSha256(ikm, salt, info, length) {
    checkHkdfLength(length)
    return hkdf(sha256, keyBytes(ikm), salt, info, length)
  },
  async pbkdf2Sha256(password, salt, iterations, length, options) {
    checkPbkdf2(iterations, length)
    throwIfAborted(options?.signal)
    // pbkdf2Async yields to the event loop every few milliseconds; it cannot be stopped, so an
    // abort rejects at once and the late result is dropped.
    return abortable(pbkdf2Async(sha256, password, salt, { c: iterations, dkLen: length }), options?.signal)
  },
}
