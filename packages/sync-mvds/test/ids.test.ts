import { bytesToHex, loadCrypto } from '@parley/crypto'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { caseById, hex, loadVectors, num } from '@parley/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { messageId, messageIdPreimage, toOneToOneGroupId } from '../src/index.ts'

const cases = loadVectors('mvds.json')
let secp: Secp256k1Provider

beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

describe('MVDS message id', () => {
  for (const id of ['mvds-id-0', 'mvds-id-1']) {
    it(`matches the Go code (${id})`, () => {
      const c = caseById(cases, id)
      const message = {
        groupId: hex(c.input, 'group_id_hex'),
        timestamp: BigInt(num(c.input, 'timestamp')),
        body: hex(c.input, 'body_hex'),
      }
      expect(bytesToHex(messageIdPreimage(message))).toBe(bytesToHex(hex(c.expected, 'preimage_hex')))
      expect(bytesToHex(messageId(message))).toBe(bytesToHex(hex(c.expected, 'message_id_hex')))
    })
  }

  it('serialises the timestamp as int64 little-endian', () => {
    const preimage = messageIdPreimage({
      groupId: new Uint8Array(0),
      timestamp: 0x0102n,
      body: new Uint8Array(0),
    })
    expect(bytesToHex(preimage.subarray(10))).toBe('0201000000000000')
    const negative = messageIdPreimage({
      groupId: new Uint8Array(0),
      timestamp: -2n,
      body: new Uint8Array(0),
    })
    expect(bytesToHex(negative.subarray(10))).toBe('feffffffffffffff')
  })
})

describe('1:1 group id', () => {
  it('matches status-go ToOneToOneGroupID in both argument orders and key forms', () => {
    const c = caseById(cases, 'mvds-one-to-one-group')
    const a = secp.getPublicKey(hex(c.input, 'key1_priv_hex'), true)
    const b = secp.getPublicKey(hex(c.input, 'key2_priv_hex'), false)
    const expected = bytesToHex(hex(c.expected, 'group_id_hex'))
    expect(bytesToHex(toOneToOneGroupId(secp, a, b))).toBe(expected)
    expect(bytesToHex(toOneToOneGroupId(secp, b, a))).toBe(expected)
  })

  it('refuses invalid keys', () => {
    expect(() => toOneToOneGroupId(secp, new Uint8Array(33), new Uint8Array(33))).toThrow(
      InvalidParametersError,
    )
  })
})
