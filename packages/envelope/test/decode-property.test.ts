/** Untrusted bytes: every decoder fails only with DecodeError or VerificationError, never anything else. */
import { generatePrivateKey, loadCrypto, randomBytes } from '@parley/crypto'
import {
  decodePayload,
  decryptAsymmetric,
  decryptSymmetric,
  encodePayload,
  open,
  seal,
} from '@parley/envelope'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'

let secp256k1: Secp256k1Provider
const symKey = randomBytes(32)
const privateKey = generatePrivateKey()

beforeAll(async () => {
  secp256k1 = (await loadCrypto()).secp256k1
})

/** Runs `decode`; returns the result, or undefined after checking the error's class. */
function decodeOrExpectedError<T>(decode: () => T): T | undefined {
  try {
    return decode()
  } catch (error) {
    if (!(error instanceof DecodeError || error instanceof VerificationError)) throw error
    return undefined
  }
}

const bytes = fc.uint8Array({ maxLength: 600 })

describe('decoding garbage', () => {
  it('decodePayload: a decoded payload and padding always lie inside the input', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const decoded = decodeOrExpectedError(() => decodePayload(input, { secp256k1 }))
        if (decoded === undefined) return
        const signatureLength = decoded.signature === undefined ? 0 : 65
        const sizeLength = input[0]! & 3
        // Every byte is accounted for: flags, size field, payload, padding, signature.
        expect(1 + sizeLength + decoded.payload.length + decoded.padding.length + signatureLength).toBe(
          input.length,
        )
        expect(decoded.payload).toEqual(
          input.subarray(1 + sizeLength, 1 + sizeLength + decoded.payload.length),
        )
      }),
      { numRuns: 300 },
    )
  })

  it('signatures that recover no key (zero, all-ones, huge r and s) are VerificationErrors', () => {
    for (const fill of [0x00, 0xff]) {
      const plaintext = new Uint8Array(1 + 1 + 65).fill(fill)
      plaintext[0] = 0x05
      plaintext[1] = 0x00
      expect(() => decodePayload(plaintext, { secp256k1 })).toThrow(VerificationError)
    }
  })

  it('decryptSymmetric, decryptAsymmetric and open', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        expect(decodeOrExpectedError(() => decryptSymmetric(input, symKey))).toBeUndefined()
        expect(
          decodeOrExpectedError(() => decryptAsymmetric(input, privateKey, { secp256k1 })),
        ).toBeUndefined()
        expect(decodeOrExpectedError(() => open(input, { symKey, secp256k1 }))).toBeUndefined()
      }),
      { numRuns: 100 },
    )
  })

  it('checks the size limit before doing any work', () => {
    const big = new Uint8Array(1025)
    for (const decode of [
      () => decodePayload(big, { secp256k1, maxLength: 1024 }),
      () => decryptSymmetric(big, symKey, { maxLength: 1024 }),
      () => decryptAsymmetric(big, privateKey, { secp256k1, maxLength: 1024 }),
      () => open(big, { privateKey, secp256k1, maxLength: 1024 }),
    ]) {
      expect(decode).toThrow(/over the 1024-byte limit/)
      expect(decode).toThrow(DecodeError)
    }
  })
})

describe('truncated and bit-flipped messages', () => {
  const message = fc.record({
    payload: fc.uint8Array({ maxLength: 300 }),
    signed: fc.boolean(),
    asymmetric: fc.boolean(),
  })

  function sealed(m: { payload: Uint8Array; signed: boolean; asymmetric: boolean }): Uint8Array {
    const sigKey = m.signed ? generatePrivateKey() : undefined
    return m.asymmetric
      ? seal({ payload: m.payload, sigKey, publicKey: secp256k1.getPublicKey(privateKey) }, { secp256k1 })
      : seal({ payload: m.payload, sigKey, symKey }, { secp256k1 })
  }

  function openAs(m: { asymmetric: boolean }, data: Uint8Array) {
    return m.asymmetric ? open(data, { privateKey, secp256k1 }) : open(data, { symKey, secp256k1 })
  }

  it('a truncated ciphertext never opens', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, cut) => {
        const data = sealed(m)
        const truncated = data.subarray(0, cut % data.length)
        expect(decodeOrExpectedError(() => openAs(m, truncated))).toBeUndefined()
      }),
      { numRuns: 60 },
    )
  })

  it('a flipped bit in the ciphertext never opens (GCM tag or ECIES MAC)', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 0, max: 7 }), (m, at, bit) => {
        const data = sealed(m)
        const index = at % data.length
        data[index] = data[index]! ^ (1 << bit)
        expect(decodeOrExpectedError(() => openAs(m, data))).toBeUndefined()
      }),
      { numRuns: 60 },
    )
  })

  it('a flipped bit in a plaintext decodes or fails cleanly, and never keeps the signer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (payload, at, bit) => {
          const signingKey = generatePrivateKey()
          const plaintext = encodePayload({ payload, signingKey }, { secp256k1 })
          const index = at % (plaintext.length - 65)
          plaintext[index] = plaintext[index]! ^ (1 << bit)
          const decoded = decodeOrExpectedError(() => decodePayload(plaintext, { secp256k1 }))
          expect(decoded?.signer).not.toEqual(secp256k1.getPublicKey(signingKey, false))
        },
      ),
      { numRuns: 60 },
    )
  })
})
