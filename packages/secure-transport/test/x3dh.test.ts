import { bytesToHex, concatBytes, hexToBytes, keccak256, loadCrypto, utf8ToBytes } from '@parley/crypto'
import { DecodeError, type Secp256k1Provider, VerificationError } from '@parley/interfaces'
import {
  bundleSignatureMaterial,
  decodeBundle,
  encodeBundle,
  negotiatedTopicName,
  PROTOCOL_VERSION,
  partitionedTopicName,
  partitionOf,
  publicKeyMostRelevantBytes,
  type SignedPreKey,
  signBundle,
  topicFromName,
  verifyBundle,
  x3dhInitiator,
  x3dhResponder,
} from '@parley/secure-transport'
import { caseById, hex, loadVectors, num, str, type VectorRecord } from '@parley/test-support'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'

const cases = loadVectors('x3dh.json')
let secp: Secp256k1Provider

beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

function subCases(id: string): VectorRecord[] {
  const list = caseById(cases, id).cases
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${id} has no sub-cases`)
  return list as VectorRecord[]
}

describe('X3DH (x3dh-status-go-official)', () => {
  const vector = caseById(cases, 'x3dh-status-go-official')
  const aliceIdentity = () => hex(vector.input, 'alice_identity_priv_hex')
  const aliceEphemeral = () => hex(vector.input, 'alice_ephemeral_priv_hex')
  const bobIdentity = () => hex(vector.input, 'bob_identity_priv_hex')
  const bobSignedPreKey = () => hex(vector.input, 'bob_signed_prekey_priv_hex')

  it('derives the official shared key on both sides', () => {
    const expected = str(vector.expected, 'shared_key_hex')
    const initiator = x3dhInitiator(secp, {
      identityKey: aliceIdentity(),
      ephemeralKey: aliceEphemeral(),
      theirIdentity: secp.getPublicKey(bobIdentity(), true),
      theirSignedPreKey: secp.getPublicKey(bobSignedPreKey(), true),
    })
    const responder = x3dhResponder(secp, {
      identityKey: bobIdentity(),
      signedPreKey: bobSignedPreKey(),
      theirIdentity: secp.getPublicKey(aliceIdentity(), true),
      theirEphemeralKey: secp.getPublicKey(aliceEphemeral(), true),
    })
    expect(bytesToHex(initiator)).toBe(expected)
    expect(bytesToHex(responder)).toBe(expected)
  })

  it('matches the derived public keys and DH intermediates', () => {
    const derived = vector.derived
    expect(bytesToHex(secp.getPublicKey(aliceIdentity(), true))).toBe(
      str(derived, 'alice_identity_pub_compressed'),
    )
    expect(bytesToHex(secp.getPublicKey(bobSignedPreKey(), true))).toBe(
      str(derived, 'bob_signed_prekey_pub_compressed'),
    )
    const spkB = secp.getPublicKey(bobSignedPreKey(), true)
    const ikB = secp.getPublicKey(bobIdentity(), true)
    const dh1 = secp.ecdh(aliceIdentity(), spkB)
    const dh2 = secp.ecdh(aliceEphemeral(), ikB)
    const dh3 = secp.ecdh(aliceEphemeral(), spkB)
    expect(bytesToHex(dh1)).toBe(str(derived, 'dh1 = DH(IK_A, SPK_B)'))
    expect(bytesToHex(dh2)).toBe(str(derived, 'dh2 = DH(EK_A, IK_B)'))
    expect(bytesToHex(dh3)).toBe(str(derived, 'dh3 = DH(EK_A, SPK_B)'))
    expect(bytesToHex(keccak256(concatBytes(dh1, dh2, dh3)))).toBe(str(vector.expected, 'shared_key_hex'))
  })
})

describe('bundles (bundle-signature-material-format)', () => {
  const vector = caseById(cases, 'bundle-signature-material-format')
  const identityKey = hexToBytes('3030303030303030303030303030303030303030303030303030303030303030')
  const spk1 = hexToBytes('023c72addb4fdf09af94f0c94d7fe92a386a7e70cf8a1d85916386bb2535c7b1b1')
  const timestamp = 1_700_000_000_123_456_789n

  // The vector names placeholders: "<spk1>" is any key, "key (ASCII)" the bytes of "key".
  function vectorPreKeys(): Map<string, SignedPreKey> {
    const input = vector.input?.signed_pre_keys as Record<string, { signed_pre_key: string; version: number }>
    const keys = new Map<string, SignedPreKey>()
    for (const [id, entry] of Object.entries(input)) {
      const signedPreKey =
        entry.signed_pre_key === '<spk1>' ? spk1 : utf8ToBytes(entry.signed_pre_key.split(' ')[0] ?? '')
      keys.set(id, { signedPreKey, version: num(entry, 'version'), protocolVersion: PROTOCOL_VERSION })
    }
    return keys
  }

  it('builds the material "1" || spk1 || "0" || "2" || "key" || "0" || decimal(ts)', () => {
    expect(str(vector.expected, 'material')).toBe('"1" || spk1 || "0" || "2" || "key" || "0" || decimal(ts)')
    const expected = concatBytes(
      utf8ToBytes('1'),
      spk1,
      utf8ToBytes('0'),
      utf8ToBytes('2'),
      utf8ToBytes('key'),
      utf8ToBytes('0'),
      utf8ToBytes(timestamp.toString()),
    )
    expect(bytesToHex(bundleSignatureMaterial(vectorPreKeys(), timestamp))).toBe(bytesToHex(expected))
  })

  it('omits a zero timestamp and orders ids bytewise ("10" before "2")', () => {
    const keys = new Map<string, SignedPreKey>([
      ['2', { signedPreKey: utf8ToBytes('b'), version: 7, protocolVersion: 1 }],
      ['10', { signedPreKey: utf8ToBytes('a'), version: 12, protocolVersion: 1 }],
    ])
    expect(new TextDecoder().decode(bundleSignatureMaterial(keys, 0n))).toBe('10a122b7')
  })

  it('signs 65-byte r||s||v over keccak256(material), verifies and rejects tampering', () => {
    const bundle = signBundle(secp, { identityKey, signedPreKeys: vectorPreKeys(), timestamp })
    expect(bundle.signature.length).toBe(65)
    expect([0, 1]).toContain(bundle.signature[64])
    const hash = keccak256(bundleSignatureMaterial(bundle.signedPreKeys, timestamp))
    expect(secp.verify(hash, bundle.signature, bundle.identity)).toBe(true)
    expect(() => verifyBundle(secp, bundle)).not.toThrow()
    expect(() => verifyBundle(secp, { ...bundle, timestamp: timestamp + 1n })).toThrow(VerificationError)
    const other = secp.getPublicKey(hexToBytes('31'.repeat(32)), true)
    expect(() => verifyBundle(secp, { ...bundle, identity: other })).toThrow(VerificationError)
    expect(() => verifyBundle(secp, { ...bundle, signature: new Uint8Array(65) })).toThrow(VerificationError)
    // the identity in either encoding
    const uncompressed = secp.convertPublicKey(bundle.identity, false)
    expect(() => verifyBundle(secp, { ...bundle, identity: uncompressed })).not.toThrow()
    const otherUncompressed = secp.convertPublicKey(other, false)
    expect(() => verifyBundle(secp, { ...bundle, identity: otherUncompressed })).toThrow(VerificationError)
    // a caller that passes its public key signs the same bundle
    const given = signBundle(secp, {
      identityKey,
      identity: bundle.identity,
      signedPreKeys: vectorPreKeys(),
      timestamp,
    })
    expect(given).toEqual(bundle)
  })

  it('round-trips through protobuf with a large nanosecond timestamp', () => {
    const bundle = signBundle(secp, { identityKey, signedPreKeys: vectorPreKeys(), timestamp })
    const decoded = decodeBundle(encodeBundle(bundle))
    expect(decoded.timestamp).toBe(timestamp)
    expect(bytesToHex(decoded.identity)).toBe(bytesToHex(bundle.identity))
    expect(bytesToHex(decoded.signature)).toBe(bytesToHex(bundle.signature))
    expect([...decoded.signedPreKeys.keys()].sort()).toEqual(['1', '2'])
    expect(decoded.signedPreKeys.get('1')).toEqual({ signedPreKey: spk1, version: 0, protocolVersion: 1 })
    expect(() => verifyBundle(secp, decoded)).not.toThrow()
  })

  it('encodes field numbers 1, 2, 4 and 5 (timestamp as a varint)', () => {
    const bytes = encodeBundle({
      identity: Uint8Array.of(1),
      signedPreKeys: new Map(),
      signature: Uint8Array.of(2),
      timestamp: 300n,
    })
    expect(bytesToHex(bytes)).toBe('0a0101220102' + '28ac02')
  })

  it('encodes an installation id named __proto__ and decoding it pollutes no prototype', () => {
    const keys = new Map<string, SignedPreKey>([
      ['__proto__', { signedPreKey: Uint8Array.of(9), version: 1, protocolVersion: 1 }],
    ])
    const bytes = encodeBundle({
      identity: Uint8Array.of(1),
      signedPreKeys: keys,
      signature: Uint8Array.of(2),
      timestamp: 0n,
    })
    expect(bytesToHex(bytes)).toContain(bytesToHex(utf8ToBytes('__proto__')))
    decodeBundle(bytes)
    expect(({} as Record<string, unknown>).version).toBeUndefined()
  })

  it('decodes garbage only to DecodeError or a bundle that fails verification', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        let bundle: ReturnType<typeof decodeBundle>
        try {
          bundle = decodeBundle(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
          return
        }
        expect(() => verifyBundle(secp, bundle)).toThrow(VerificationError)
      }),
      { numRuns: 300 },
    )
  })
})

describe('topics', () => {
  it('partitioned-topic-official: X mod 5000 and its Waku topics', () => {
    const vector = caseById(cases, 'partitioned-topic-official')
    const derived = vector.derived as Record<string, VectorRecord>
    for (const sub of subCases('partitioned-topic-official')) {
      const publicKey = secp.getPublicKey(hex(sub, 'priv_hex'), true)
      expect(partitionOf(secp, publicKey)).toBe(num(sub, 'expected_partition'))
      const name = partitionedTopicName(secp, publicKey)
      expect(name).toBe(str(sub, 'expected_name'))
      expect(bytesToHex(topicFromName(name))).toBe(str(derived[name], 'topic_hex'))
    }
    expect(bytesToHex(topicFromName('contact-discovery'))).toBe(
      str(derived['contact-discovery'], 'topic_hex'),
    )
  })

  it('negotiated topic is the same hex DH on both sides', () => {
    const a = hexToBytes('30'.repeat(32))
    const b = hexToBytes('32'.repeat(32))
    const name = negotiatedTopicName(secp, a, secp.getPublicKey(b, true))
    expect(name).toBe(negotiatedTopicName(secp, b, secp.getPublicKey(a, true)))
    expect(name).toMatch(/^[0-9a-f]{64}$/)
  })

  it('hash-ratchet-key-index: uint32_le of uncompressed key bytes 1..5', () => {
    for (const sub of subCases('hash-ratchet-key-index')) {
      const publicKey = secp.getPublicKey(hex(sub, 'priv_hex'), true)
      expect(publicKeyMostRelevantBytes(secp, publicKey)).toBe(Number(str(sub, 'expected_uint32')))
    }
  })
})
