import { DecodeError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  availableSecp256k1Providers,
  bytesToHex,
  concatKdfSha256,
  ECIES_OVERHEAD,
  eciesDecrypt,
  eciesEncrypt,
  generatePrivateKey,
  hexToBytes,
} from '../src/index.ts'
import { field, loadVectors, type VectorCase } from './vectors.ts'

const vectors = loadVectors('ecies.json')
const optionalHex = (record: Record<string, unknown>, name: string): Uint8Array =>
  hexToBytes(typeof record[name] === 'string' ? (record[name] as string) : '')

let providers: Secp256k1Provider[]
beforeAll(async () => {
  providers = await availableSecp256k1Providers()
})

/** One checker per vector kind; a case of a kind nobody checks fails the suite (see below). */
const checkers: Record<string, (vector: VectorCase, secp: Secp256k1Provider) => void> = {
  concat_kdf_sha256(vector) {
    const { input } = vector
    const output = concatKdfSha256(
      hexToBytes(field(input, 'z_hex')),
      optionalHex(input, 's1_hex'),
      Number(input.length),
    )
    expect(bytesToHex(output)).toBe(field(vector.expected, 'output_hex'))
  },
  ecdh_x(vector, secp) {
    const [first, second] = Object.keys(vector.input).filter((name) => name.startsWith('priv'))
    const expected = (vector.expected.shared_hex ?? vector.derived?.shared_hex) as string
    const shared = secp.ecdh(
      hexToBytes(field(vector.input, first!)),
      secp.getPublicKey(hexToBytes(field(vector.input, second!))),
    )
    expect(bytesToHex(shared)).toBe(expected)
  },
  ecies_decrypt(vector, secp) {
    const { input } = vector
    const options = { s1: optionalHex(input, 's1_hex'), s2: optionalHex(input, 's2_shared_mac_data_hex') }
    const privateKey = hexToBytes(field(input, 'recipient_priv_hex'))
    const ciphertext = hexToBytes(field(input, 'ciphertext_hex'))
    expect(vector.expected.mac_valid).toBe(true)
    const plaintext = eciesDecrypt(secp, privateKey, ciphertext, options)
    if (typeof vector.derived?.plaintext_hex === 'string')
      expect(bytesToHex(plaintext)).toBe(vector.derived.plaintext_hex)
    // The MAC covers s2: without the size prefix the packet must not verify.
    expect(() => eciesDecrypt(secp, privateKey, ciphertext, { s1: options.s1 })).toThrow(VerificationError)
  },
  ecies_encrypt(vector, secp) {
    const { input } = vector
    const options = {
      s1: optionalHex(input, 's1_hex'),
      s2: optionalHex(input, 's2_hex'),
      ephemeralPrivateKey: hexToBytes(field(input, 'ephemeral_priv_hex')),
      iv: hexToBytes(field(input, 'iv_hex')),
    }
    const plaintext = hexToBytes(field(input, 'plaintext_hex'))
    const ciphertext = eciesEncrypt(secp, hexToBytes(field(input, 'recipient_pub_hex')), plaintext, options)
    expect(bytesToHex(ciphertext)).toBe(field(vector.expected, 'ciphertext_hex'))
    const recipient = hexToBytes(field(input, 'recipient_priv_hex'))
    expect(bytesToHex(eciesDecrypt(secp, recipient, ciphertext, options))).toBe(bytesToHex(plaintext))
  },
}

describe('ECIES known answers (go-ethereum crypto/ecies, EIP-8)', () => {
  it('has a checker for every kind of case in ecies.json', () => {
    expect(vectors.length).toBeGreaterThan(0)
    for (const vector of vectors) expect(Object.keys(checkers), vector.id).toContain(vector.kind)
  })

  it.each(vectors)('$id ($kind) with every secp256k1 provider', (vector) => {
    const check = checkers[vector.kind ?? '']
    if (check === undefined) throw new Error(`no checker for vector kind ${vector.kind}`)
    for (const secp of providers) check(vector, secp)
  })
})

const bytes = (maxLength: number) => fc.uint8Array({ minLength: 0, maxLength })

/** What `run` throws, or `undefined`. */
function thrownBy(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

const isDecodeOrVerification = (error: unknown): boolean =>
  error instanceof DecodeError || error instanceof VerificationError

describe('ECIES properties', () => {
  it('round-trips across providers with any plaintext and shared infos, adding 113 bytes', () => {
    fc.assert(
      fc.property(bytes(600), bytes(8), bytes(8), fc.nat(), fc.nat(), (plaintext, s1, s2, from, to) => {
        const sender = providers[from % providers.length]!
        const receiver = providers[to % providers.length]!
        const privateKey = generatePrivateKey()
        const ciphertext = eciesEncrypt(sender, sender.getPublicKey(privateKey), plaintext, { s1, s2 })
        expect(ciphertext.length).toBe(plaintext.length + ECIES_OVERHEAD)
        expect(ciphertext[0]).toBe(0x04)
        expect(bytesToHex(eciesDecrypt(receiver, privateKey, ciphertext, { s1, s2 }))).toBe(
          bytesToHex(plaintext),
        )
      }),
      { numRuns: 30 },
    )
  })

  it('accepts a compressed recipient key', () => {
    const [secp] = providers
    const privateKey = generatePrivateKey()
    const ciphertext = eciesEncrypt(secp!, secp!.getPublicKey(privateKey, true), Uint8Array.of(1, 2, 3))
    expect([...eciesDecrypt(secp!, privateKey, ciphertext)]).toEqual([1, 2, 3])
  })

  it('turns garbage into DecodeError or VerificationError, never anything else', () => {
    const privateKey = generatePrivateKey()
    const validR = providers[0]!.getPublicKey(generatePrivateKey())
    const garbage = fc.oneof(
      bytes(300),
      bytes(200).map((tail) => Uint8Array.of(...validR, ...tail)),
    )
    fc.assert(
      fc.property(garbage, fc.nat(), (ciphertext, pick) => {
        const secp = providers[pick % providers.length]!
        const error = thrownBy(() => eciesDecrypt(secp, privateKey, ciphertext))
        if (ciphertext.length < ECIES_OVERHEAD) expect(error).toBeInstanceOf(DecodeError)
        else expect(isDecodeOrVerification(error)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('rejects any single flipped bit with a typed error', () => {
    const [secp] = providers
    const privateKey = generatePrivateKey()
    const ciphertext = eciesEncrypt(secp!, secp!.getPublicKey(privateKey), new Uint8Array(40).fill(9))
    fc.assert(
      fc.property(fc.nat({ max: ciphertext.length * 8 - 1 }), (bit) => {
        const tampered = ciphertext.slice()
        tampered[bit >> 3]! ^= 1 << (bit & 7)
        const error = thrownBy(() => eciesDecrypt(secp!, privateKey, tampered))
        // A flip in R either breaks the point (DecodeError) or changes the shared secret (MAC).
        if (bit < 65 * 8) expect(isDecodeOrVerification(error)).toBe(true)
        else expect(error).toBeInstanceOf(VerificationError)
      }),
      { numRuns: 200 },
    )
  })

  it('fails the MAC for the wrong key or the wrong shared info', () => {
    const [secp] = providers
    const privateKey = generatePrivateKey()
    const ciphertext = eciesEncrypt(secp!, secp!.getPublicKey(privateKey), Uint8Array.of(7), {
      s1: Uint8Array.of(1),
    })
    expect(() => eciesDecrypt(secp!, generatePrivateKey(), ciphertext, { s1: Uint8Array.of(1) })).toThrow(
      VerificationError,
    )
    expect(() => eciesDecrypt(secp!, privateKey, ciphertext)).toThrow(VerificationError)
    expect(() =>
      eciesDecrypt(secp!, privateKey, ciphertext, { s1: Uint8Array.of(1), s2: Uint8Array.of(2) }),
    ).toThrow(VerificationError)
    expect([...eciesDecrypt(secp!, privateKey, ciphertext, { s1: Uint8Array.of(1) })]).toEqual([7])
  })
})
