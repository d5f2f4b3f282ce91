import { bytesToHex, hexToBytes, keccak256, loadCrypto, utf8ToBytes } from '@parley/crypto'
import {
  decodePayload,
  decryptSymmetric,
  encodePayload,
  encryptSymmetric,
  open,
  seal,
  symKeyFromPassword,
} from '@parley/envelope'
import type { Secp256k1Provider } from '@parley/interfaces'
import { InvalidParametersError } from '@parley/interfaces'
import { beforeAll, describe, expect, it } from 'vitest'
import { caseById, loadCases, num, str } from './vectors.ts'

let secp256k1: Secp256k1Provider
beforeAll(async () => {
  secp256k1 = (await loadCrypto()).secp256k1
})

describe('waku2-payload-v1.json', () => {
  const cases = loadCases('waku2-payload-v1.json')

  it('size-field-rule: 1-3 byte little-endian length, its byte count in flags & 3', () => {
    const rules = caseById(cases, 'size-field-rule').cases ?? []
    expect(rules.length).toBeGreaterThan(0)
    for (const rule of rules) {
      const length = num(rule, 'payload_len')
      const plaintext = encodePayload({ payload: new Uint8Array(length) })
      const sizeLength = num(rule, 'size_field_len')
      expect(plaintext[0]! & 3).toBe(num(rule, 'flags_low2'))
      expect(bytesToHex(plaintext.subarray(1, 1 + sizeLength))).toBe(str(rule, 'size_field_hex'))
      expect(decodePayload(plaintext, { secp256k1 }).payload.length).toBe(length)
    }
  })

  it('signed-plaintext: flag set before hashing, keccak256 signature with v in {0,1}', () => {
    const vector = caseById(cases, 'signed-plaintext')
    const payload = hexToBytes(str(vector.input, 'data_hex'))
    const padding = hexToBytes(str(vector.input, 'padding_hex'))
    const signingKey = hexToBytes(str(vector.input, 'signer_priv_hex'))

    expect(bytesToHex(encodePayload({ payload, padding }))).toBe(str(vector.expected, 'unsigned_raw_hex'))
    const plaintext = encodePayload({ payload, padding, signingKey }, { secp256k1 })
    expect(bytesToHex(plaintext)).toBe(str(vector.expected, 'plaintext_hex'))
    expect(plaintext.length).toBe(num(vector.expected, 'plaintext_len'))
    const signedPart = plaintext.subarray(0, plaintext.length - 65)
    expect(bytesToHex(signedPart)).toBe(str(vector.expected, 'raw_with_sig_flag_hex'))
    expect(bytesToHex(keccak256(signedPart))).toBe(str(vector.expected, 'keccak256_hex'))

    const decoded = decodePayload(plaintext, { secp256k1 })
    expect(bytesToHex(decoded.payload)).toBe(str(vector.input, 'data_hex'))
    expect(bytesToHex(decoded.padding)).toBe(str(vector.input, 'padding_hex'))
    expect(bytesToHex(decoded.signature!)).toBe(str(vector.expected, 'signature_hex'))
    expect(decoded.signer).toEqual(secp256k1.getPublicKey(signingKey, false))
  })

  it('symmetric-aes256gcm: key from the password "status", ct || tag || nonce', async () => {
    const vector = caseById(cases, 'symmetric-aes256gcm')
    const signedCase = caseById(cases, 'signed-plaintext')
    const plaintext = hexToBytes(str(signedCase.expected, 'plaintext_hex'))
    const key = await symKeyFromPassword('status')
    expect(bytesToHex(key)).toBe(str(vector.input, 'key_hex'))
    const nonce = hexToBytes(str(vector.input, 'nonce_hex'))

    const data = encryptSymmetric(plaintext, key, { nonce })
    expect(bytesToHex(data)).toBe(str(vector.expected, 'payload_hex'))
    expect(bytesToHex(data.subarray(data.length - 12))).toBe(str(vector.input, 'nonce_hex'))
    expect(decryptSymmetric(data, key)).toEqual(plaintext)
    const opened = open(data, { symKey: key, secp256k1 })
    expect(new TextDecoder().decode(opened.payload)).toBe(str(signedCase.input, 'data_utf8'))
    expect(opened.signer).toEqual(
      secp256k1.getPublicKey(hexToBytes(str(signedCase.input, 'signer_priv_hex')), false),
    )
  })
})

describe('whisper-v6.json', () => {
  const cases = loadCases('whisper-v6.json')

  for (const id of [
    'padding-payload3-signed',
    'padding-payload254-unsigned',
    'padding-payload253-unsigned',
  ]) {
    it(`${id}: automatic padding to a 256-byte boundary, a full block when already aligned`, () => {
      const vector = caseById(cases, id)
      const signed = vector.input?.signed === true
      const message = { payload: new Uint8Array(num(vector.input, 'payload_len')).fill(7) }
      const plaintext = signed
        ? encodePayload({ ...message, signingKey: new Uint8Array(32).fill(1) }, { secp256k1 })
        : encodePayload(message)
      expect(plaintext.length).toBe(num(vector.derived, 'plaintext_len_incl_signature'))
      expect(bytesToHex(plaintext.subarray(0, 1))).toBe(str(vector.derived, 'flags_byte'))
      expect(decodePayload(plaintext, { secp256k1 }).padding.length).toBe(num(vector.expected, 'padding_len'))
    })
  }

  it('padding-geth-246-signed: signed part is 447 bytes', () => {
    const vector = caseById(cases, 'padding-geth-246-signed')
    const plaintext = encodePayload(
      { payload: new Uint8Array(num(vector.input, 'payload_len')), signingKey: new Uint8Array(32).fill(2) },
      { secp256k1 },
    )
    expect(plaintext.length - 65).toBe(num(vector.expected, 'raw_len_before_signature'))
    expect(decodePayload(plaintext, { secp256k1 }).padding.length).toBe(num(vector.derived, 'padding_len'))
  })

  it('payload-size-field-endianness: the size field is little-endian', () => {
    const vector = caseById(cases, 'payload-size-field-endianness')
    const bytes = hexToBytes(str(vector.input, 'bytes'))
    const littleEndian = num(vector.expected, 'little_endian')
    // The field holds at most 3 bytes, so read 1, 2 and 3 of the vector's bytes as a size field.
    for (const sizeLength of [1, 2, 3]) {
      const declared = littleEndian % 256 ** sizeLength
      const plaintext = new Uint8Array(1 + sizeLength + declared)
      plaintext[0] = sizeLength
      plaintext.set(bytes.subarray(0, sizeLength), 1)
      expect(decodePayload(plaintext, { secp256k1 }).payload.length).toBe(declared)
    }
    expect(littleEndian).not.toBe(Number(vector.expected?.big_endian))
  })

  it('reject-zero-or-empty-symkey: all-zero, empty and missing keys are refused', () => {
    const keys = (caseById(cases, 'reject-zero-or-empty-symkey').input?.sym_keys ?? []) as (string | null)[]
    expect(keys.length).toBe(3)
    const plaintext = encodePayload({ payload: utf8ToBytes('x') })
    for (const hex of keys) {
      const key = (hex === null ? null : hexToBytes(hex)) as Uint8Array
      expect(() => encryptSymmetric(plaintext, key)).toThrow(InvalidParametersError)
      expect(() => seal({ payload: utf8ToBytes('x'), symKey: key }, { secp256k1 })).toThrow(
        InvalidParametersError,
      )
    }
  })
})
