import { createKeypair, secp256k1PublicKeyToRaw } from '@chainsafe/discv5'
import { ENR } from '@chainsafe/enr'
import { libp2pPeerId, WAKU2_CAPABILITY_BITS, type Waku2Capability } from '@parley/enr'
import { DecodeError } from '@parley/interfaces'
import { toHex } from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { discv5Peer, localEnr, uncompressedKeyHex } from '../src/index.ts'

// The reference is @chainsafe/discv5's secp256k1 (noble), not the code under test.
const secp = {
  isValidPrivateKey: (key: Uint8Array) =>
    attempt(() => createKeypair({ type: 'secp256k1', privateKey: key })),
  isValidPublicKey: (key: Uint8Array) => attempt(() => secp256k1PublicKeyToRaw(key)),
  getPublicKey: (key: Uint8Array, compressed: boolean) => {
    const publicKey = createKeypair({ type: 'secp256k1', privateKey: key }).publicKey
    return compressed ? publicKey : secp256k1PublicKeyToRaw(publicKey)
  },
}
const bytesToHex = toHex
const privateKey = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .filter((key) => secp.isValidPrivateKey(key))

function attempt(task: () => unknown): boolean {
  try {
    task()
    return true
  } catch {
    return false
  }
}

describe('uncompressedKeyHex', () => {
  it('agrees with the secp256k1 provider on every key', () => {
    fc.assert(
      fc.property(privateKey, (key) => {
        const compressed = secp.getPublicKey(key, true)
        expect(uncompressedKeyHex(compressed)).toBe(bytesToHex(secp.getPublicKey(key, false).subarray(1)))
      }),
      { numRuns: 200 },
    )
  })

  it('rejects anything that is not a compressed point with DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (bytes) => {
        try {
          const hex = uncompressedKeyHex(bytes)
          // Accepted: a real point, which the provider agrees is a key.
          expect(secp.isValidPublicKey(bytes)).toBe(true)
          expect(hex).toHaveLength(128)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
          expect(bytes.length === 33 && secp.isValidPublicKey(bytes)).toBe(false)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('local record to DiscoveredPeer', () => {
  const capability = fc.constantFrom(...(Object.keys(WAKU2_CAPABILITY_BITS) as Waku2Capability[]))
  it('reports the fields the record was built with', () => {
    fc.assert(
      fc.property(
        privateKey,
        fc.uniqueArray(capability, { maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 0xffff }), { nil: undefined }),
        fc.integer({ min: 1, max: 0xffff }),
        fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        (key, waku2, tcp, udp, wakuVersion) => {
          const record = localEnr({
            privateKey: key,
            ip: '10.0.0.1',
            udp,
            ...(tcp === undefined ? {} : { tcp }),
            ...(waku2.length === 0 ? {} : { waku2 }),
            ...(wakuVersion === undefined ? {} : { v1: { waku: wakuVersion } }),
          })
          const { peer, seq } = discv5Peer(ENR.decode(record.encode()))
          const enodeId = bytesToHex(secp.getPublicKey(key, false).subarray(1))
          expect(seq).toBe(record.seq)
          expect(peer.id).toBe(waku2.length > 0 ? libp2pPeerId(secp.getPublicKey(key, true)) : enodeId)
          const port = tcp ?? 0
          expect(peer.enode).toBe(
            `enode://${enodeId}@10.0.0.1:${port}${udp === port ? '' : `?discport=${udp}`}`,
          )
          const expected = [
            ...(wakuVersion === undefined ? [] : ['waku']),
            // The bitfield lists capabilities in bit order.
            ...Object.keys(WAKU2_CAPABILITY_BITS)
              .filter((name) => waku2.includes(name as Waku2Capability))
              .map((name) => `waku2:${name}`),
          ]
          expect(peer.capabilities ?? []).toEqual(expected)
        },
      ),
      { numRuns: 60 },
    )
  })
})
