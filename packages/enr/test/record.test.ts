import { loadCrypto } from '@parley/crypto'
import { DecodeError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  addressEntries,
  binaryString,
  decodeEnr,
  decodeEnrContent,
  type Enr,
  encodeEnr,
  enrAddresses,
  enrToText,
  signEnr,
} from '../src/index.ts'
import { field, hex, loadVectors, unhex } from './vectors.ts'

const { secp256k1: secp } = await loadCrypto()
const cases = loadVectors('enr-eip778.json')
const byId = (id: string) => {
  const found = cases.find((vector) => vector.id === id)
  if (found === undefined) throw new Error(`vector ${id} is missing`)
  return found
}

describe('EIP-778 example record', () => {
  const vector = byId('eip778-example-record')
  let enr: Enr
  beforeAll(() => {
    enr = decodeEnr(field(vector.input, 'enr_text'), secp)
  })

  it('decodes and verifies', () => {
    expect(hex(enr.bytes)).toBe(field(vector.expected, 'rlp'))
    expect(enr.seq).toBe(BigInt(field<number>(vector.expected, 'seq')))
    expect(hex(enr.signature)).toBe(field(vector.expected, 'signature'))
    expect(hex(enr.nodeId)).toBe(field(vector.expected, 'node_id'))
    const pairs = field<Array<[string, string]>>(vector.expected, 'pairs_in_order')
    expect([...enr.entries.keys()]).toEqual(pairs.map(([key]) => key))
    expect(binaryString(enr.entries.get('id') as Uint8Array)).toBe('v4')
    expect(enrAddresses(enr)).toEqual({
      ip: field(vector.expected, 'ip'),
      udp: field<number>(vector.expected, 'udp'),
    })
  })

  it('re-signs byte for byte (RFC 6979) and prints the same text', () => {
    const signed = signEnr(
      { seq: 1, entries: addressEntries({ ip: '127.0.0.1', udp: 30303 }) },
      unhex(field(vector.input, 'private_key')),
      secp,
    )
    expect(hex(signed.bytes)).toBe(field(vector.expected, 'rlp'))
    expect(enrToText(signed)).toBe(field(vector.input, 'enr_text'))
    expect(signed).toEqual(enr)
  })

  it('decodes the binary form too', () => {
    expect(decodeEnr(unhex(field(vector.expected, 'rlp')), secp)).toEqual(enr)
  })
})

describe('go-ethereum records', () => {
  it('seq-99 record verifies and belongs to its private key', () => {
    const vector = byId('geth-urlv4-enr-seq99')
    const enr = decodeEnr(field(vector.input, 'enr_text'), secp)
    expect(enr.seq).toBe(99n)
    expect(enrAddresses(enr)).toEqual({ ip: '127.0.0.1', udp: 30303 })
    const privateKey = unhex(field(vector.input, 'private_key'))
    expect(hex(enr.publicKey)).toBe(hex(secp.getPublicKey(privateKey, true)))
    expect(hex(enr.nodeId)).toBe(field(vector.derived, 'node_id'))
    const resigned = signEnr({ seq: 99, entries: { ip: unhex('7f000001'), udp: 30303 } }, privateKey, secp)
    expect(hex(resigned.bytes)).toBe(field(vector.derived, 'rlp'))
  })

  for (const id of ['geth-urlv4-invalid-empty', 'geth-urlv4-invalid-bad-base64']) {
    it(`rejects ${id}`, () => {
      expect(() => decodeEnr(field(byId(id).input, 'enr_text'), secp)).toThrow(DecodeError)
    })
  }

  it('structural decode: a list without signature and seq fails, [sig, seq, k, v] decodes', () => {
    for (const id of ['geth-enr-decode-incomplete-c0', 'geth-enr-decode-incomplete-c101'])
      expect(() => decodeEnrContent(unhex(field(byId(id).input, 'rlp')))).toThrow(DecodeError)
    const content = decodeEnrContent(unhex(field(byId('geth-enr-decode-incomplete-c401020304').input, 'rlp')))
    expect(content.seq).toBe(2n)
    expect(hex(content.signature)).toBe('01')
    expect([...content.entries]).toEqual([['\x03', Uint8Array.of(4)]])
    // It has no identity scheme, so it is not a valid record.
    expect(() => decodeEnr(unhex('c401020304'), secp)).toThrow(DecodeError)
  })

  it('real-world records from ethereumjs verify and expose their fields', () => {
    const real = cases.filter((vector) => vector.id.startsWith('ethereumjs-'))
    expect(real.length).toBeGreaterThanOrEqual(3)
    for (const vector of real) {
      const enr = decodeEnr(field(vector.input, 'enr_text'), secp)
      expect(hex(enr.bytes)).toBe(field(vector.derived, 'rlp'))
      expect(enr.seq).toBe(BigInt(field<number>(vector.derived, 'seq')))
      expect([...enr.entries.keys()]).toEqual(field(vector.derived, 'keys'))
      expect(hex(enr.nodeId)).toBe(field(vector.derived, 'node_id'))
      const addresses = enrAddresses(enr)
      for (const key of ['ip', 'tcp', 'udp'] as const)
        if (vector.expected?.[key] !== undefined) expect(addresses[key]).toBe(vector.expected[key])
      expect(enrToText(enr)).toBe(field(vector.input, 'enr_text'))
    }
  })
})

describe('rejections', () => {
  const vector = byId('eip778-example-record')
  const good = unhex(field(vector.expected, 'rlp'))
  const privateKey = unhex(field(vector.input, 'private_key'))

  it('a flipped signature bit is a VerificationError', () => {
    const bad = good.slice()
    bad[10]! ^= 1
    expect(() => decodeEnr(bad, secp)).toThrow(VerificationError)
  })

  it('changed content under the old signature is a VerificationError', () => {
    const enr = decodeEnr(good, secp)
    const forged = encodeEnr({ ...enr, seq: 2n })
    expect(() => decodeEnr(forged, secp)).toThrow(VerificationError)
    expect(() => decodeEnr(encodeEnr({ ...enr, signature: enr.signature.subarray(0, 63) }), secp)).toThrow(
      VerificationError,
    )
  })

  it('unsorted, duplicate or dangling keys are DecodeErrors', () => {
    const k = (text: string) => new TextEncoder().encode(text)
    const sig = new Uint8Array(64)
    for (const items of [
      [sig, 1, k('udp'), 1, k('ip'), 2],
      [sig, 1, k('ip'), 1, k('ip'), 2],
      [sig, 1, k('ip')],
      [sig, [], k('ip'), 1],
      [sig, 2n ** 64n],
    ])
      expect(() => decodeEnrContent(encode(items))).toThrow(DecodeError)
  })

  it('enforces the 300-byte limit on decode and on signing', () => {
    const big = encode([new Uint8Array(64), 1, new TextEncoder().encode('x'), new Uint8Array(228)])
    expect(big.length).toBe(301)
    expect(() => decodeEnrContent(big)).toThrow(/300/)
    expect(() => decodeEnrContent(`enr:${'A'.repeat(404)}`)).toThrow(DecodeError)
    expect(() => signEnr({ seq: 1, entries: { x: new Uint8Array(200) } }, privateKey, secp)).toThrow(
      InvalidParametersError,
    )
  })

  it('a wrong identity scheme or a bad secp256k1 key is a DecodeError', () => {
    const enr = decodeEnr(good, secp)
    const v5 = new Map(enr.entries).set('id', new TextEncoder().encode('v5'))
    expect(() => decodeEnr(encodeEnr({ ...enr, entries: v5 }), secp)).toThrow(DecodeError)
    const badKey = new Map(enr.entries).set('secp256k1', new Uint8Array(33).fill(5))
    expect(() => decodeEnr(encodeEnr({ ...enr, entries: badKey }), secp)).toThrow(DecodeError)
  })
})

describe('properties', () => {
  const privateKey = unhex(field(byId('eip778-example-record').input, 'private_key'))

  it('garbage bytes and text fail only with DecodeError or VerificationError', () => {
    const expectTyped = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        expect(error instanceof DecodeError || error instanceof VerificationError).toBe(true)
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 320 }), fc.string({ maxLength: 60 }), (bytes, text) => {
        expectTyped(() => decodeEnr(bytes, secp))
        expectTyped(() => decodeEnr(`enr:${text}`, secp))
        expectTyped(() => decodeEnr(text, secp))
      }),
      { numRuns: 500 },
    )
  })

  it('mutated valid records fail only with typed errors', () => {
    const good = signEnr(
      { seq: 7, entries: addressEntries({ ip: '10.0.0.1', tcp: 30303 }) },
      privateKey,
      secp,
    )
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const bytes = good.bytes.slice()
        bytes[at % bytes.length] = byte
        try {
          decodeEnr(bytes, secp)
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof VerificationError).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('sign → text → decode is the identity', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).filter((k) => k !== 'id' && k !== 'secp256k1')
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.dictionary(key, fc.oneof(fc.uint8Array({ maxLength: 16 }), fc.nat()), { maxKeys: 5 }),
        (seq, entries) => {
          const signed = signEnr({ seq, entries }, privateKey, secp)
          expect(decodeEnr(enrToText(signed), secp)).toEqual(signed)
        },
      ),
      { numRuns: 60 },
    )
  })
})
