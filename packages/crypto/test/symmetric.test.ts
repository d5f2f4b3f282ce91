import { AbortError, DecodeError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import {
  aes256GcmDecrypt,
  aes256GcmEncrypt,
  aesCtr,
  bytesToHex,
  hexToBytes,
  pbkdf2Sha256,
  type SymmetricBackend,
  symmetricBackends,
  symmetricKey,
  utf8ToBytes,
  WHISPER_PBKDF2_ITERATIONS,
} from '../src/index.ts'
import { nodeCrypto } from '../src/runtime.ts'
import { webCryptoPbkdf2Sha256 } from '../src/symmetric/webcrypto.ts'

const backends = symmetricBackends()
const hex = hexToBytes
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
const nonce12 = fc.uint8Array({ minLength: 12, maxLength: 12 })
const iv16 = fc.uint8Array({ minLength: 16, maxLength: 16 })
const data = fc.uint8Array({ maxLength: 300 })

it('offers node:crypto first and pure JS as well', () => {
  expect(backends.map((backend) => backend.kind)).toEqual(['native', 'js'])
})

describe.each(backends.map((backend) => [backend.name, backend] as const))('%s backend', (_, backend) => {
  const keyForms = (raw: Uint8Array) => [raw, symmetricKey(raw)]

  it('AES-256-GCM matches the GCM spec vectors (McGrew-Viega cases 13 and 14)', () => {
    const zeroKey = new Uint8Array(32)
    const zeroNonce = new Uint8Array(12)
    expect(bytesToHex(backend.aes256GcmEncrypt(zeroKey, zeroNonce, new Uint8Array(0)))).toBe(
      '530f8afbc74536b9a963b4f1c4cb738b',
    )
    expect(bytesToHex(backend.aes256GcmEncrypt(zeroKey, zeroNonce, new Uint8Array(16)))).toBe(
      'cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919',
    )
  })

  it('AES-256-GCM returns ciphertext || tag16, round-trips, and rejects tampering with VerificationError', () => {
    fc.assert(
      fc.property(key32, nonce12, data, fc.option(data, { nil: undefined }), (raw, nonce, plaintext, aad) => {
        for (const key of keyForms(raw)) {
          const sealed = backend.aes256GcmEncrypt(key, nonce, plaintext, aad)
          expect(sealed.length).toBe(plaintext.length + 16)
          // GCM encrypts with CTR from counter block nonce || 00000002: the layout is ciphertext first.
          const ctrIv = Uint8Array.of(...nonce, 0, 0, 0, 2)
          expect(bytesToHex(sealed.subarray(0, plaintext.length))).toBe(
            bytesToHex(backend.aesCtr(raw, ctrIv, plaintext)),
          )
          expect(bytesToHex(backend.aes256GcmDecrypt(key, nonce, sealed, aad))).toBe(bytesToHex(plaintext))
          const tampered = sealed.slice()
          tampered[tampered.length - 1]! ^= 1
          expect(() => backend.aes256GcmDecrypt(key, nonce, tampered, aad)).toThrow(VerificationError)
        }
      }),
      { numRuns: 30 },
    )
  })

  it('AES-256-GCM rejects short input with DecodeError and bad sizes with InvalidParametersError', () => {
    expect(() =>
      backend.aes256GcmDecrypt(new Uint8Array(32), new Uint8Array(12), new Uint8Array(15)),
    ).toThrow(DecodeError)
    expect(() => backend.aes256GcmEncrypt(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1))).toThrow(
      InvalidParametersError,
    )
    expect(() => backend.aes256GcmEncrypt(new Uint8Array(32), new Uint8Array(16), new Uint8Array(1))).toThrow(
      InvalidParametersError,
    )
  })

  it('AES-CTR matches NIST SP 800-38A F.5.1 (128-bit) and F.5.5 (256-bit)', () => {
    const counter = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff')
    const plaintext = hex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51')
    const aes128 = hex('2b7e151628aed2a6abf7158809cf4f3c')
    const aes256 = hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4')
    for (const key of keyForms(aes128)) {
      expect(bytesToHex(backend.aesCtr(key, counter, plaintext))).toBe(
        '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff',
      )
    }
    for (const key of keyForms(aes256)) {
      expect(bytesToHex(backend.aesCtr(key, counter, plaintext))).toBe(
        '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5',
      )
    }
    expect(() => backend.aesCtr(new Uint8Array(24), counter, plaintext)).toThrow(InvalidParametersError)
  })

  it('AES-CTR streams continue one keystream across calls, wrapping the 128-bit counter', () => {
    const ivs = fc.oneof(iv16, fc.constant(new Uint8Array(16).fill(0xff)))
    const splits = fc.array(fc.nat({ max: 40 }), { maxLength: 6 })
    fc.assert(
      fc.property(fc.boolean(), key32, ivs, data, splits, (short, raw, iv, plaintext, cuts) => {
        const key = short ? raw.subarray(0, 16) : raw
        const stream = backend.createAesCtrStream(symmetricKey(key), iv)
        const parts: number[] = []
        let offset = 0
        for (const cut of [...cuts, plaintext.length]) {
          const end = Math.min(plaintext.length, offset + cut)
          parts.push(...stream.update(plaintext.subarray(offset, end)))
          offset = end
        }
        expect(bytesToHex(Uint8Array.from(parts))).toBe(bytesToHex(backends[0]!.aesCtr(key, iv, plaintext)))
      }),
      { numRuns: 60 },
    )
  })

  it('AES-ECB block encryption matches FIPS-197 C.3 and is reusable', () => {
    const encrypt = backend.createAesEcbEncryptor(
      hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
    )
    for (let round = 0; round < 2; round++) {
      expect(bytesToHex(encrypt(hex('00112233445566778899aabbccddeeff')))).toBe(
        '8ea2b7ca516745bfeafc49904b496089',
      )
    }
    expect(() => encrypt(new Uint8Array(17))).toThrow(InvalidParametersError)
  })

  it('SHA-256, HMAC-SHA256 (RFC 4231 case 2) and HKDF-SHA256 (RFC 5869 case 1) match their specs', () => {
    expect(bytesToHex(backend.sha256(utf8ToBytes('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    for (const key of keyForms(utf8ToBytes('Jefe'))) {
      expect(bytesToHex(backend.hmacSha256(key, utf8ToBytes('what do ya want for nothing?')))).toBe(
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      )
    }
    for (const ikm of keyForms(new Uint8Array(22).fill(0x0b))) {
      const okm = backend.hkdfSha256(ikm, hex('000102030405060708090a0b0c'), hex('f0f1f2f3f4f5f6f7f8f9'), 42)
      expect(bytesToHex(okm)).toBe(
        '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
      )
    }
    expect(() =>
      backend.hkdfSha256(new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 255 * 32 + 1),
    ).toThrow(InvalidParametersError)
  })

  it('PBKDF2-HMAC-SHA256 matches RFC 7914 §11 and honours an abort', async () => {
    const derived = await backend.pbkdf2Sha256(utf8ToBytes('passwd'), utf8ToBytes('salt'), 1, 64)
    expect(bytesToHex(derived)).toBe(
      '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc' +
        '49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
    )
    const aborted = backend.pbkdf2Sha256(utf8ToBytes('x'), new Uint8Array(0), 1, 32, {
      signal: AbortSignal.abort(),
    })
    await expect(aborted).rejects.toBeInstanceOf(AbortError)
    const controller = new AbortController()
    const running = backend.pbkdf2Sha256(utf8ToBytes('x'), new Uint8Array(0), 5_000_000, 32, controller)
    controller.abort()
    await expect(running).rejects.toBeInstanceOf(AbortError)
    await expect(backend.pbkdf2Sha256(utf8ToBytes('x'), new Uint8Array(0), 0, 32)).rejects.toBeInstanceOf(
      InvalidParametersError,
    )
  })
})

describe('backends agree', () => {
  it('on every primitive for random inputs', () => {
    fc.assert(
      fc.property(key32, nonce12, iv16, data, (raw, nonce, iv, input) => {
        const results = backends.map((backend: SymmetricBackend) =>
          [
            backend.aes256GcmEncrypt(raw, nonce, input),
            backend.aesCtr(raw.subarray(0, 16), iv, input),
            backend.aesCtr(raw, iv, input),
            backend.hmacSha256(raw, input),
            backend.hkdfSha256(raw, iv, nonce, 77),
            backend.sha256(input),
          ].map(bytesToHex),
        )
        expect(results[1]).toEqual(results[0])
      }),
      { numRuns: 50 },
    )
  })

  it("on Whisper's password-derived key (65356 iterations, empty salt), WebCrypto included", async () => {
    const password = utf8ToBytes('status-whisper-password')
    const derived = await Promise.all([
      pbkdf2Sha256('status-whisper-password', new Uint8Array(0), WHISPER_PBKDF2_ITERATIONS, 32),
      webCryptoPbkdf2Sha256(password, new Uint8Array(0), WHISPER_PBKDF2_ITERATIONS, 32),
      ...backends.map((backend) =>
        backend.pbkdf2Sha256(password, new Uint8Array(0), WHISPER_PBKDF2_ITERATIONS, 32),
      ),
    ])
    expect(new Set(derived.map(bytesToHex)).size).toBe(1)
    expect(derived[0]!.length).toBe(32)
  })
})

describe('symmetricKey handles', () => {
  it('snapshot the key, hide it from JSON and logs, and import a KeyObject only once', () => {
    const raw = new Uint8Array(32).fill(3)
    const key = symmetricKey(raw)
    const nonce = new Uint8Array(12)
    const expected = bytesToHex(aes256GcmEncrypt(raw, nonce, utf8ToBytes('hi')))
    raw.fill(4)
    expect(bytesToHex(aes256GcmEncrypt(key, nonce, utf8ToBytes('hi')))).toBe(expected)
    expect(JSON.stringify({ key })).toBe('{"key":"[SymmetricKey 32 bytes]"}')
    expect(Object.values(key)).toEqual([32])

    const spy = vi.spyOn(nodeCrypto!, 'createSecretKey')
    for (let i = 0; i < 20; i++) {
      aes256GcmDecrypt(key, nonce, hexToBytes(expected))
      aesCtr(symmetricKey(new Uint8Array(16)), new Uint8Array(16), new Uint8Array(1))
    }
    // One import for `key` (its first use above happened before the spy), one per fresh CTR handle.
    expect(spy).toHaveBeenCalledTimes(20)
    spy.mockRestore()
  })
})
