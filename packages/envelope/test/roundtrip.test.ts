import { generatePrivateKey, loadCrypto, randomBytes, utf8ToBytes } from '@parley/crypto'
import {
  createSymKey,
  decodePayload,
  decryptAsymmetric,
  encodePayload,
  encryptAsymmetric,
  MAX_PAYLOAD_LENGTH,
  open,
  seal,
  symKeyFromPassword,
} from '@parley/envelope'
import type { Secp256k1Provider } from '@parley/interfaces'
import { AbortError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import { beforeAll, describe, expect, it } from 'vitest'

let secp256k1: Secp256k1Provider
beforeAll(async () => {
  secp256k1 = (await loadCrypto()).secp256k1
})

describe('seal and open', () => {
  const payload = utf8ToBytes('a message for the network')

  for (const signed of [false, true]) {
    for (const mode of ['symmetric', 'asymmetric'] as const) {
      it(`${signed ? 'signed' : 'unsigned'} ${mode}`, () => {
        const sigKey = signed ? generatePrivateKey() : undefined
        const symKey = randomBytes(32)
        const privateKey = generatePrivateKey()
        const publicKey = secp256k1.getPublicKey(privateKey, true)
        const data =
          mode === 'symmetric'
            ? seal({ payload, sigKey, symKey }, { secp256k1 })
            : seal({ payload, sigKey, publicKey }, { secp256k1 })
        const opened =
          mode === 'symmetric' ? open(data, { symKey, secp256k1 }) : open(data, { privateKey, secp256k1 })
        expect(opened.payload).toEqual(payload)
        // 1 + 1 + 25 (+ 65) bytes padded to 256: the padding hides the exact length.
        expect(1 + 1 + payload.length + opened.padding.length + (signed ? 65 : 0)).toBe(256)
        if (sigKey === undefined) {
          expect(opened.signature).toBeUndefined()
          expect(opened.signer).toBeUndefined()
        } else {
          expect(opened.signature).toHaveLength(65)
          expect(opened.signer).toEqual(secp256k1.getPublicKey(sigKey, false))
        }
      })
    }
  }

  it('opens with a cached key handle and with a key from a password', async () => {
    const raw = await symKeyFromPassword('my-chat')
    const data = seal({ payload, symKey: createSymKey(raw) }, { secp256k1 })
    expect(open(data, { symKey: raw, secp256k1 }).payload).toEqual(payload)
  })

  it('a wrong key is a VerificationError', () => {
    const sealed = seal({ payload, symKey: randomBytes(32) }, { secp256k1 })
    expect(() => open(sealed, { symKey: randomBytes(32), secp256k1 })).toThrow(VerificationError)
    const toOther = encryptAsymmetric(
      encodePayload({ payload }),
      secp256k1.getPublicKey(generatePrivateKey()),
      {
        secp256k1,
      },
    )
    expect(() => decryptAsymmetric(toOther, generatePrivateKey(), { secp256k1 })).toThrow(VerificationError)
  })

  it('needs exactly one key', () => {
    const publicKey = secp256k1.getPublicKey(generatePrivateKey())
    expect(() => seal({ payload }, { secp256k1 })).toThrow(InvalidParametersError)
    expect(() => seal({ payload, symKey: randomBytes(32), publicKey }, { secp256k1 })).toThrow(
      InvalidParametersError,
    )
    expect(() => open(new Uint8Array(64), { secp256k1 })).toThrow(InvalidParametersError)
  })

  it('symKeyFromPassword honours an aborted signal', async () => {
    await expect(symKeyFromPassword('x', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
  })
})

describe('encodePayload and decodePayload', () => {
  it('keeps custom padding exactly as given, without aligning', () => {
    const padding = Uint8Array.of(9, 9, 9)
    const plaintext = encodePayload({ payload: Uint8Array.of(1, 2), padding })
    expect(plaintext).toEqual(Uint8Array.of(0x01, 0x02, 1, 2, 9, 9, 9))
    expect(decodePayload(plaintext, { secp256k1 }).padding).toEqual(padding)
  })

  it('treats empty padding as automatic, like go-ethereum', () => {
    const plaintext = encodePayload({ payload: Uint8Array.of(1), padding: new Uint8Array(0) })
    expect(plaintext.length).toBe(256)
  })

  it('uses 2- and 3-byte size fields for larger payloads', () => {
    for (const length of [256, 65_535, 65_536, 100_000]) {
      const payload = randomBytes(length)
      const plaintext = encodePayload({ payload })
      expect(plaintext.length % 256).toBe(0)
      expect(decodePayload(plaintext, { secp256k1 }).payload).toEqual(payload)
    }
  })

  it('decodes a plaintext with no size field as an empty payload', () => {
    const decoded = decodePayload(Uint8Array.of(0x00, 7, 7), { secp256k1 })
    expect(decoded.payload).toHaveLength(0)
    expect(decoded.padding).toEqual(Uint8Array.of(7, 7))
  })

  it('refuses payloads a 3-byte size field cannot describe, and signing without a provider', () => {
    const tooLong = { length: MAX_PAYLOAD_LENGTH + 1 } as Uint8Array
    expect(() => encodePayload({ payload: tooLong })).toThrow(InvalidParametersError)
    expect(() => encodePayload({ payload: Uint8Array.of(1), signingKey: generatePrivateKey() })).toThrow(
      InvalidParametersError,
    )
  })

  it('a changed byte under the signature yields a different signer, never the real one', () => {
    const signingKey = generatePrivateKey()
    const plaintext = encodePayload({ payload: utf8ToBytes('signed'), signingKey }, { secp256k1 })
    plaintext[3] = plaintext[3]! ^ 0xff
    let signer: Uint8Array | undefined
    try {
      signer = decodePayload(plaintext, { secp256k1 }).signer
    } catch (error) {
      expect(error).toBeInstanceOf(VerificationError)
    }
    expect(signer).not.toEqual(secp256k1.getPublicKey(signingKey, false))
  })
})
