import { bytesToHex, generatePrivateKey } from '@parley/crypto'
import { DecodeError } from '@parley/interfaces'
import {
  type Bundle,
  decodeProtocolMessage,
  type EncryptedMessage,
  encodeProtocolMessage,
  MAX_ENCRYPTED_ENTRIES,
  type ProtocolMessage,
  signBundle,
} from '@parley/secure-transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { secp } from './helpers.ts'

const key33 = fc.uint8Array({ minLength: 33, maxLength: 33 })
const uint32 = fc.integer({ min: 0, max: 0xffff_ffff })
// protobufjs decodes map keys into plain objects, where "__proto__" cannot be a key.
const installationId = fc.string({ maxLength: 12 }).filter((id) => id !== '__proto__')

const encryptedMessage: fc.Arbitrary<EncryptedMessage> = fc.record(
  {
    x3dh: fc.record({ key: key33, id: key33 }),
    dr: fc.record({ key: key33, n: uint32, pn: uint32, id: key33 }),
    dh: fc.record({ key: key33 }),
    hr: fc.record(
      {
        deprecatedKeyId: uint32,
        seqNo: uint32,
        groupId: fc.uint8Array({ maxLength: 33 }),
        keyId: fc.uint8Array({ maxLength: 32 }),
        keys: fc.uint8Array({ minLength: 1, maxLength: 40 }),
      },
      { requiredKeys: ['deprecatedKeyId', 'seqNo', 'groupId', 'keyId'] },
    ),
    payload: fc.uint8Array({ maxLength: 64 }),
  },
  { requiredKeys: ['payload'] },
)

const bundle: fc.Arbitrary<Bundle> = fc.record({
  identity: key33,
  signedPreKeys: fc
    .array(fc.tuple(installationId, key33, uint32, uint32), { maxLength: 3 })
    .map(
      (entries) =>
        new Map(
          entries.map(([id, signedPreKey, version, protocolVersion]) => [
            id,
            { signedPreKey, version, protocolVersion },
          ]),
        ),
    ),
  signature: fc.uint8Array({ minLength: 65, maxLength: 65 }),
  timestamp: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
})

const protocolMessage: fc.Arbitrary<ProtocolMessage> = fc
  .record({
    installationId: fc.string({ maxLength: 36 }),
    bundles: fc.array(bundle, { maxLength: 3 }),
    encryptedMessage: fc
      .uniqueArray(fc.tuple(installationId, encryptedMessage), { maxLength: 4, selector: ([id]) => id })
      .map((entries) => new Map(entries)),
    // proto3 does not write empty bytes, so (as in status-go) an empty public message is no message.
    publicMessage: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  })
  .map(({ publicMessage, ...rest }) => (publicMessage === undefined ? rest : { ...rest, publicMessage }))

describe('ProtocolMessage codec', () => {
  it('round-trips any message (property)', () => {
    fc.assert(
      fc.property(protocolMessage, (message) => {
        expect(decodeProtocolMessage(encodeProtocolMessage(message))).toEqual(message)
      }),
      { numRuns: 300 },
    )
  })

  it("uses status-go's field numbers", () => {
    const bytes = encodeProtocolMessage({
      installationId: 'a',
      bundles: [],
      encryptedMessage: new Map([['b', { dh: { key: Uint8Array.of(7) }, payload: Uint8Array.of(9) }]]),
      publicMessage: Uint8Array.of(5),
    })
    // installation_id = 2; encrypted_message = 101 (map entry: key 1, value 2 → payload 3, DH_header 101);
    // public_message = 102
    expect(bytesToHex(bytes)).toBe(
      ['120161', 'aa060e', '0a0162', '1209', '1a0109', 'aa0603', '0a0107', 'b20601', '05'].join(''),
    )
  })

  it('reads a hash-ratchet header built by hand (HRHeader = 102 in the encrypted message)', () => {
    // HRHeader{deprecated_key_id=1: 3, seq_no=2: 4, group_id=3: "g", key_id=4: 0xabcd}
    const hr = '0803' + '1004' + '1a0167' + '2202abcd'
    const value = `b206${(hr.length / 2).toString(16).padStart(2, '0')}${hr}`
    const entry = `0a0178${'12'}${(value.length / 2).toString(16).padStart(2, '0')}${value}`
    const bytes = Uint8Array.from(
      Buffer.from(`aa06${(entry.length / 2).toString(16).padStart(2, '0')}${entry}`, 'hex'),
    )
    const message = decodeProtocolMessage(bytes)
    expect(message.encryptedMessage.get('x')?.hr).toEqual({
      deprecatedKeyId: 3,
      seqNo: 4,
      groupId: Uint8Array.of(0x67),
      keyId: Uint8Array.of(0xab, 0xcd),
    })
  })

  it('keeps a signed bundle verbatim, so its signature still verifies', async () => {
    const s = await secp()
    const signed = signBundle(s, {
      identityKey: generatePrivateKey(),
      signedPreKeys: new Map([
        ['dev', { signedPreKey: s.getPublicKey(generatePrivateKey(), true), version: 2, protocolVersion: 1 }],
      ]),
      timestamp: 1_700_000_000_000_000_000n,
    })
    const decoded = decodeProtocolMessage(
      encodeProtocolMessage({ installationId: 'x', bundles: [signed], encryptedMessage: new Map() }),
    )
    expect(decoded.bundles).toEqual([signed])
    expect(decoded.publicMessage).toBeUndefined()
  })

  it('rejects garbage only with DecodeError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeProtocolMessage(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('rejects more encrypted entries than any sender makes', () => {
    const entries = new Map<string, EncryptedMessage>()
    for (let i = 0; i <= MAX_ENCRYPTED_ENTRIES; i++) entries.set(String(i), { payload: new Uint8Array(1) })
    const bytes = encodeProtocolMessage({ installationId: 'x', bundles: [], encryptedMessage: entries })
    expect(() => decodeProtocolMessage(bytes)).toThrow(DecodeError)
  })
})
