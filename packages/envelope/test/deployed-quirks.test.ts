/**
 * Where the specs and the deployed implementations disagree, this package follows go-ethereum,
 * status-go, go-waku and js-waku. Each test names the quirk.
 */
import { generatePrivateKey, keccak256, loadCrypto, utf8ToBytes } from '@parley/crypto'
import { decodePayload, encodePayload } from '@parley/envelope'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError } from '@parley/interfaces'
import { beforeAll, describe, expect, it } from 'vitest'

let secp256k1: Secp256k1Provider
beforeAll(async () => {
  secp256k1 = (await loadCrypto()).secp256k1
})

describe('spec versus deployed', () => {
  it('QUIRK: the signature ends in v ∈ {0, 1} (go-ethereum crypto.Sign), not 27/28 as EIP-627 and 26/WAKU2-PAYLOAD say', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 16 && seen.size < 2; i++) {
      const plaintext = encodePayload(
        { payload: utf8ToBytes(`m${i}`), signingKey: generatePrivateKey() },
        { secp256k1 },
      )
      seen.add(plaintext[plaintext.length - 1]!)
    }
    expect([...seen].every((v) => v === 0 || v === 1)).toBe(true)
  })

  it('QUIRK: a 27/28-style v does not recover the signer (deployed decoders do not normalise it)', () => {
    const signingKey = generatePrivateKey()
    const plaintext = encodePayload({ payload: utf8ToBytes('hi'), signingKey }, { secp256k1 })
    plaintext[plaintext.length - 1] = plaintext[plaintext.length - 1]! + 27
    expect(() => decodePayload(plaintext, { secp256k1 })).toThrow(
      expect.objectContaining({ name: 'VerificationError' }),
    )
  })

  it('QUIRK: the size field is 1-3 bytes little-endian sized by flags & 3, not the 4 bytes of the 26/WAKU2-PAYLOAD ABNF', () => {
    const payload = new Uint8Array(0x0102)
    const plaintext = encodePayload({ payload })
    expect(plaintext[0]! & 3).toBe(2)
    expect([plaintext[1], plaintext[2]]).toEqual([0x02, 0x01])
    // A decoder reading a 4-byte field would take the payload's first bytes as size bytes.
    expect(decodePayload(plaintext, { secp256k1 }).payload).toHaveLength(0x0102)
  })

  it('the signature covers the flags byte with the signed bit already set', () => {
    const signingKey = generatePrivateKey()
    const plaintext = encodePayload({ payload: utf8ToBytes('x'), signingKey }, { secp256k1 })
    const body = plaintext.subarray(0, plaintext.length - 65)
    expect(body[0]! & 0x04).toBe(0x04)
    const signature = plaintext.subarray(plaintext.length - 65)
    expect(secp256k1.recover(keccak256(body), signature, false)).toEqual(
      secp256k1.getPublicKey(signingKey, false),
    )
  })

  it('rejects a size field that points past the end (go-ethereum checks this too loosely and can panic)', () => {
    // flags 0x01, size 3, but only 2 bytes follow the field.
    expect(() => decodePayload(Uint8Array.of(0x01, 0x03, 0xaa, 0xbb), { secp256k1 })).toThrow(DecodeError)
  })
})
