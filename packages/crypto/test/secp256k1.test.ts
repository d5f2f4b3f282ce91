import { createRequire } from 'node:module'
import { secp256k1 as noble } from '@noble/curves/secp256k1.js'
import { InvalidParametersError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  availableSecp256k1Providers,
  bytesToHex,
  generatePrivateKey,
  hexToBytes,
  keccak256,
  nodeIdFromPublicKey,
  publicKeyFromNodeId,
  sha256,
  utf8ToBytes,
} from '../src/index.ts'
import { field, loadVectors } from './vectors.ts'

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${bytesToHex(bytes) || '0'}`)
const fromBigInt = (value: bigint): Uint8Array => hexToBytes(value.toString(16).padStart(64, '0'))

const privateKeyArb = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map(fromBigInt)
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 })

let providers: Secp256k1Provider[]
beforeAll(async () => {
  providers = await availableSecp256k1Providers()
})

/** Runs `check` with every provider and expects them all to return the same bytes. */
function agree(check: (provider: Secp256k1Provider) => Uint8Array): Uint8Array {
  const results = providers.map((provider) => bytesToHex(check(provider)))
  for (const [i, result] of results.entries()) expect(result, providers[i]!.name).toBe(results[0])
  return hexToBytes(results[0]!)
}

describe('secp256k1 providers', () => {
  it('load in preference order native, wasm, js, with the pure-JS one always present', () => {
    const kinds = providers.map((provider) => provider.kind)
    expect(kinds.at(-1)).toBe('js')
    const order = ['native', 'wasm', 'js']
    expect([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(kinds)
    expect(new Set(kinds).size).toBe(kinds.length)
  })

  it('include the native libsecp256k1 binding and the WASM build where they are installed', () => {
    const require = createRequire(import.meta.url)
    let nativeInstalled = true
    try {
      require('secp256k1/bindings.js')
    } catch {
      nativeInstalled = false
    }
    expect(providers.some((provider) => provider.kind === 'native')).toBe(nativeInstalled)
    expect(providers.some((provider) => provider.kind === 'wasm')).toBe(true)
  })

  it('derive identical public keys, compressed and uncompressed, and convert between them', () => {
    fc.assert(
      fc.property(privateKeyArb, (privateKey) => {
        const full = agree((p) => p.getPublicKey(privateKey))
        const short = agree((p) => p.getPublicKey(privateKey, true))
        expect(full.length).toBe(65)
        expect(full[0]).toBe(0x04)
        expect(short.length).toBe(33)
        expect(bytesToHex(short)).toBe(bytesToHex(noble.getPublicKey(privateKey, true)))
        agree((p) => p.convertPublicKey(full, true))
        expect(bytesToHex(agree((p) => p.convertPublicKey(short, false)))).toBe(bytesToHex(full))
      }),
      { numRuns: 25 },
    )
  })

  it('agree on which public keys are valid, rejecting hybrid 0x06/0x07 encodings', () => {
    const candidates = fc.oneof(
      fc
        .uint8Array({ minLength: 33, maxLength: 33 })
        .map((bytes) => Uint8Array.of(2 + (bytes[0]! & 1), ...bytes.subarray(1))),
      fc.uint8Array({ minLength: 65, maxLength: 65 }).map((bytes) => Uint8Array.of(4, ...bytes.subarray(1))),
      fc.uint8Array({ minLength: 0, maxLength: 70 }),
    )
    fc.assert(
      fc.property(candidates, (candidate) => {
        const verdicts = providers.map((p) => p.isValidPublicKey(candidate))
        expect(new Set(verdicts).size).toBe(1)
      }),
      { numRuns: 200 },
    )
    const valid = providers[0]!.getPublicKey(generatePrivateKey())
    const hybrid = Uint8Array.of(0x06 + (valid[64]! & 1), ...valid.subarray(1))
    for (const p of providers) {
      expect(p.isValidPublicKey(valid), p.name).toBe(true)
      expect(p.isValidPublicKey(hybrid), p.name).toBe(false)
      expect(() => p.convertPublicKey(hybrid, true), p.name).toThrow(InvalidParametersError)
    }
  })

  it('agree on private key validity at the edges of [1, n-1]', () => {
    const edges = [0n, 1n, CURVE_ORDER - 1n, CURVE_ORDER, 2n ** 256n - 1n].map(fromBigInt)
    for (const p of providers) {
      expect(
        edges.map((key) => p.isValidPrivateKey(key)),
        p.name,
      ).toEqual([false, true, true, false, false])
      expect(p.isValidPrivateKey(new Uint8Array(31).fill(1)), p.name).toBe(false)
      expect(() => p.getPublicKey(edges[3]!), p.name).toThrow(InvalidParametersError)
    }
  })
})

describe('secp256k1 ECDH', () => {
  it('returns the raw 32-byte x coordinate, not a hash of it (1 · P = P)', () => {
    const one = fromBigInt(1n)
    const publicKey = providers[0]!.getPublicKey(generatePrivateKey())
    for (const p of providers)
      expect(bytesToHex(p.ecdh(one, publicKey)), p.name).toBe(bytesToHex(publicKey.subarray(1, 33)))
  })

  it('agrees across providers, is symmetric and equals x(a · B) computed by point arithmetic', () => {
    fc.assert(
      fc.property(privateKeyArb, privateKeyArb, fc.boolean(), (a, b, compressed) => {
        const publicB = providers[0]!.getPublicKey(b, compressed)
        const shared = agree((p) => p.ecdh(a, publicB))
        expect(shared.length).toBe(32)
        expect(bytesToHex(agree((p) => p.ecdh(b, providers[0]!.getPublicKey(a))))).toBe(bytesToHex(shared))
        const point = noble.Point.fromBytes(publicB).multiply(toBigInt(a)).toAffine()
        expect(toBigInt(shared)).toBe(point.x)
      }),
      { numRuns: 20 },
    )
  })

  it.each(loadVectors('ecies.json').filter((c) => c.kind === 'ecdh_x'))(
    'matches go-ethereum: $id',
    (vector) => {
      const [first, second] = Object.keys(vector.input).filter((name) => name.startsWith('priv'))
      const priv1 = hexToBytes(field(vector.input, first!))
      const priv2 = hexToBytes(field(vector.input, second!))
      const expected = (vector.expected.shared_hex ?? vector.derived?.shared_hex) as string
      expect(expected).toMatch(/^[0-9a-f]{64}$/)
      for (const p of providers) {
        expect(bytesToHex(p.ecdh(priv1, p.getPublicKey(priv2))), p.name).toBe(expected)
        expect(bytesToHex(p.ecdh(priv2, p.getPublicKey(priv1))), p.name).toBe(expected)
      }
      if (typeof vector.expected.pub0_x === 'string') {
        const pub0 = providers[0]!.getPublicKey(priv1)
        expect(bytesToHex(pub0.subarray(1, 33))).toBe(vector.expected.pub0_x)
        expect(bytesToHex(pub0.subarray(33))).toBe(vector.expected.pub0_y)
      }
    },
  )

  it('rejects an invalid public key with InvalidParametersError on every provider', () => {
    const bad = Uint8Array.of(0x04, ...new Uint8Array(64).fill(7))
    for (const p of providers)
      expect(() => p.ecdh(generatePrivateKey(), bad), p.name).toThrow(InvalidParametersError)
  })
})

describe('secp256k1 signatures', () => {
  it('are identical across providers (RFC 6979), low-s, v ∈ {0,1}, and recover and verify everywhere', () => {
    fc.assert(
      fc.property(privateKeyArb, hashArb, (privateKey, hash) => {
        const signature = agree((p) => p.sign(hash, privateKey))
        expect(signature.length).toBe(65)
        expect([0, 1]).toContain(signature[64])
        expect(toBigInt(signature.subarray(32, 64)) <= CURVE_ORDER / 2n).toBe(true)
        const publicKey = providers[0]!.getPublicKey(privateKey)
        expect(bytesToHex(agree((p) => p.recover(hash, signature)))).toBe(bytesToHex(publicKey))
        agree((p) => p.recover(hash, signature, true))
        for (const p of providers) {
          expect(p.verify(hash, signature, publicKey), p.name).toBe(true)
          expect(
            p.verify(hash, signature.subarray(0, 64), providers[0]!.convertPublicKey(publicKey, true)),
          ).toBe(true)
        }
      }),
      { numRuns: 20 },
    )
  })

  it('recover the EIP-8 auth signer: the ephemeral key, over static-shared-secret XOR nonce', () => {
    // The EIP's signatures were not made with RFC 6979 nonces, so this checks ECDH and recovery only.
    const [keys] = loadVectors('rlpx-eip8.json').filter((c) => c.id === 'eip8-handshake-keys')
    const [auth] = loadVectors('rlpx-eip8.json').filter((c) => c.id === 'auth2-eip8-v4')
    const staticA = hexToBytes(field(keys?.input, 'static_key_a'))
    const staticPubB = hexToBytes(`04${field(keys?.expected, 'static_pub_b')}`)
    const nonceA = hexToBytes(field(keys?.input, 'nonce_a'))
    const signature = hexToBytes(field(auth?.expected, 'signature'))
    const ephemeralPub = publicKeyFromNodeId(field(keys?.expected, 'ephemeral_pub_a'))
    for (const p of providers) {
      const signed = p.ecdh(staticA, staticPubB).map((byte, i) => byte ^ nonceA[i]!)
      expect(nodeIdFromPublicKey(p.recover(signed, signature)), p.name).toBe(
        field(auth?.expected, 'recovered_ephemeral_pub'),
      )
      expect(p.verify(signed, signature, ephemeralPub), p.name).toBe(true)
    }
  })

  it('match a published RFC 6979 secp256k1 signature (key 1, sha256("Satoshi Nakamoto"))', () => {
    const hash = sha256(utf8ToBytes('Satoshi Nakamoto'))
    for (const p of providers) {
      expect(bytesToHex(p.sign(hash, fromBigInt(1n)).subarray(0, 64)), p.name).toBe(
        '934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8' +
          '2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5',
      )
    }
  })

  it('reject high-s in verify but recover the same key from it (flipped v), as go-ethereum does', () => {
    const privateKey = generatePrivateKey()
    const hash = keccak256(utf8ToBytes('malleable'))
    const signature = providers[0]!.sign(hash, privateKey)
    const highS = fromBigInt(CURVE_ORDER - toBigInt(signature.subarray(32, 64)))
    const malleated = Uint8Array.of(...signature.subarray(0, 32), ...highS, signature[64]! ^ 1)
    const publicKey = providers[0]!.getPublicKey(privateKey)
    for (const p of providers) {
      expect(p.verify(hash, malleated, publicKey), p.name).toBe(false)
      expect(bytesToHex(p.recover(hash, malleated)), p.name).toBe(bytesToHex(publicKey))
    }
  })

  it('never throw from verify on garbage, and throw VerificationError from recover', () => {
    const publicKey = providers[0]!.getPublicKey(generatePrivateKey())
    fc.assert(
      fc.property(hashArb, fc.uint8Array({ minLength: 0, maxLength: 70 }), (hash, garbage) => {
        for (const p of providers) {
          expect(p.verify(hash, garbage, publicKey), p.name).toBe(false)
          expect(p.verify(hash, garbage, garbage), p.name).toBe(false)
        }
      }),
      { numRuns: 100 },
    )
    const zeroR = new Uint8Array(65)
    const badV = Uint8Array.of(
      ...providers[0]!.sign(new Uint8Array(32), generatePrivateKey()).subarray(0, 64),
      27,
    )
    for (const p of providers) {
      expect(() => p.recover(new Uint8Array(32), zeroR), p.name).toThrow(VerificationError)
      expect(() => p.recover(new Uint8Array(32), badV), p.name).toThrow(VerificationError)
      expect(() => p.recover(new Uint8Array(32), new Uint8Array(64)), p.name).toThrow(VerificationError)
      expect(() => p.sign(new Uint8Array(31), generatePrivateKey()), p.name).toThrow(InvalidParametersError)
    }
  })
})

describe('node ids', () => {
  it('are the uncompressed key without 0x04 as hex, from either key form, and convert back', () => {
    const publicKey = providers[0]!.getPublicKey(generatePrivateKey())
    const id = nodeIdFromPublicKey(publicKey)
    expect(id).toBe(bytesToHex(publicKey.subarray(1)))
    expect(nodeIdFromPublicKey(providers[0]!.convertPublicKey(publicKey, true))).toBe(id)
    expect(bytesToHex(publicKeyFromNodeId(id))).toBe(bytesToHex(publicKey))
    expect(() => nodeIdFromPublicKey(new Uint8Array(64))).toThrow(InvalidParametersError)
    expect(() => publicKeyFromNodeId('00'.repeat(64))).toThrow(InvalidParametersError)
  })
})
