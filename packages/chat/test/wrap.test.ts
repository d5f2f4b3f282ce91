import { bytesToHex, generatePrivateKey, keccak256, loadCrypto } from '@parley/crypto'
import {
  DecodeError,
  InvalidParametersError,
  type Secp256k1Provider,
  VerificationError,
} from '@parley/interfaces'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ApplicationMessageType, messageId, unwrapMessage, wrapMessage } from '../src/index.ts'
import { ApplicationMetadataMessageType } from '../src/proto/schema.ts'

let secp: Secp256k1Provider
beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

function envelope(fields: Record<string, unknown>): Uint8Array {
  return ApplicationMetadataMessageType.encode(ApplicationMetadataMessageType.fromObject(fields)).finish()
}

describe('wrapMessage / unwrapMessage', () => {
  it('round-trips payload, type and signer for any payload and type', () => {
    const key = generatePrivateKey()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 200 }), (payload, type) => {
        const unwrapped = unwrapMessage(wrapMessage(payload, type, key, secp), secp)
        expect(unwrapped.payload).toEqual(payload)
        expect(unwrapped.type).toBe(type)
        expect(unwrapped.signer).toEqual(secp.getPublicKey(key, false))
      }),
      { numRuns: 50 },
    )
  })

  it('a changed payload recovers a different signer, so callers must compare the signer', () => {
    const key = generatePrivateKey()
    const signature = secp.sign(keccak256(Uint8Array.of(1)), key)
    const forged = envelope({ signature, payload: Uint8Array.of(2), type: 1 })
    let signer: Uint8Array | undefined
    try {
      signer = unwrapMessage(forged, secp).signer
    } catch (error) {
      expect(error).toBeInstanceOf(VerificationError)
    }
    if (signer !== undefined) expect(bytesToHex(signer)).not.toBe(bytesToHex(secp.getPublicKey(key, false)))
  })

  it('rejects a missing, short or 27/28-style signature with VerificationError', () => {
    const key = generatePrivateKey()
    const payload = Uint8Array.of(1, 2, 3)
    const good = secp.sign(keccak256(payload), key)
    const legacyV = Uint8Array.from(good)
    legacyV[64] = (good[64] ?? 0) + 27
    for (const signature of [new Uint8Array(0), good.subarray(0, 64), legacyV]) {
      expect(() => unwrapMessage(envelope({ signature, payload, type: 1 }), secp)).toThrow(VerificationError)
    }
  })

  it('throws only DecodeError or VerificationError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          unwrapMessage(bytes, secp)
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof VerificationError).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('throws only typed errors on a mutated valid envelope', () => {
    const valid = wrapMessage(
      Uint8Array.of(9, 8, 7),
      ApplicationMessageType.CHAT_MESSAGE,
      generatePrivateKey(),
      secp,
    )
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (index, value) => {
        const mutated = Uint8Array.from(valid)
        mutated[index] = value
        try {
          unwrapMessage(mutated, secp)
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof VerificationError).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('messageId', () => {
  it('hashes the uncompressed key then the envelope bytes as received', () => {
    const key = generatePrivateKey()
    const author = secp.getPublicKey(key, false)
    const bytes = wrapMessage(Uint8Array.of(1), 1, key, secp)
    const id = messageId(author, bytes)
    expect(id).toHaveLength(32)
    expect(unwrapMessage(bytes, secp).id).toEqual(id)
    // the same envelope from another author is another message
    expect(messageId(secp.getPublicKey(generatePrivateKey(), false), bytes)).not.toEqual(id)
  })

  it('refuses a compressed key', () => {
    const compressed = secp.getPublicKey(generatePrivateKey(), true)
    expect(() => messageId(compressed, Uint8Array.of(1))).toThrow(InvalidParametersError)
  })
})
