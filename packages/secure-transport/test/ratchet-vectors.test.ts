import { bytesToHex, concatBytes, hexToBytes, loadCrypto, utf8ToBytes } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import {
  deriveMessageKeys,
  encodeHeader,
  kdfCk,
  kdfRk,
  openMessage,
  RatchetSession,
  sealMessage,
} from '@parley/secure-transport'
import { caseById, hex, loadVectorFile, loadVectors, num, str, type VectorRecord } from '@parley/test-support'
import { beforeAll, describe, expect, it } from 'vitest'

const cases = loadVectors('double-ratchet.json')
let secp: Secp256k1Provider

beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

describe('Status Double Ratchet vectors', () => {
  it('the parameters block describes what this package implements', () => {
    const parameters = loadVectorFile('double-ratchet.json').parameters as VectorRecord
    expect(str(parameters, 'KDF_CK')).toContain('0x0f')
    expect(str(parameters, 'KDF_RK')).toContain('rsZUpEuXUqqwXBvSy3EcievAh4cMj6QL')
    expect(str(parameters, 'ENCRYPT')).toContain('pcwSByyx2CRdryCffXJwy7xgVZWtW5Sh')
    expect(str(parameters, 'ENCRYPT')).toContain('HMAC-SHA256(auth_key, AD || ct)')
  })

  it('kdf-lib-constants: KdfRK, KdfCK, deriveEncKeys and Encrypt', () => {
    const vector = caseById(cases, 'kdf-lib-constants')
    const key = hex(vector.input, 'key_hex')
    const expected = vector.expected as Record<string, VectorRecord>
    const root = kdfRk(key, hex(vector.input, 'dh_out_hex'))
    expect(bytesToHex(root.rootKey)).toBe(str(expected['KdfRK(rk=key, dh=dh_out)'], 'root_key'))
    expect(bytesToHex(root.chainKey)).toBe(str(expected['KdfRK(rk=key, dh=dh_out)'], 'chain_key'))
    expect(bytesToHex(root.headerKey)).toBe(str(expected['KdfRK(rk=key, dh=dh_out)'], 'header_key'))
    const chain = kdfCk(key)
    expect(bytesToHex(chain.chainKey)).toBe(str(expected['KdfCK(key)'], 'chain_key'))
    expect(bytesToHex(chain.messageKey)).toBe(str(expected['KdfCK(key)'], 'message_key'))
    const keys = deriveMessageKeys(key)
    expect(bytesToHex(keys.encKey)).toBe(str(expected['deriveEncKeys(key)'], 'enc_key'))
    expect(bytesToHex(keys.authKey)).toBe(str(expected['deriveEncKeys(key)'], 'auth_key'))
    expect(bytesToHex(keys.iv)).toBe(str(expected['deriveEncKeys(key)'], 'iv'))
    const plaintext = utf8ToBytes(str(vector.input, 'plaintext_utf8'))
    const ad = hex(vector.input, 'ad_hex')
    const sealed = sealMessage(key, plaintext, ad)
    expect(bytesToHex(sealed)).toBe(str(vector.expected, 'Encrypt(mk=key,"1337",ad=nil)'))
    expect(openMessage(key, sealed, ad)).toEqual(plaintext)
  })

  it('dr-session-step0-alice-init: KDF_RK over DH(dh_priv, SPK_B)', () => {
    const vector = caseById(cases, 'dr-session-step0-alice-init')
    const dhOut = secp.ecdh(
      hex(vector.input, 'dh_priv_hex'),
      hex(vector.input, 'dh_remote_pub_compressed_hex'),
    )
    expect(bytesToHex(dhOut)).toBe(str(vector.expected, 'dh_out_hex'))
    const step = kdfRk(hex(vector.input, 'root_key_hex'), dhOut)
    expect(bytesToHex(step.rootKey)).toBe(str(vector.expected, 'root_key_hex'))
    expect(bytesToHex(step.chainKey)).toBe(str(vector.expected, 'chain_key_hex'))
    expect(bytesToHex(step.headerKey)).toBe(str(vector.expected, 'header_key_hex'))
  })

  it('dr-session-alice-msg0: keys, AD and ciphertext byte for byte', () => {
    const vector = caseById(cases, 'dr-session-alice-msg0')
    const header = vector.input?.header as VectorRecord
    const chain = kdfCk(hex(vector.input, 'chain_key_hex'))
    expect(bytesToHex(chain.chainKey)).toBe(str(vector.expected, 'next_chain_key_hex'))
    expect(bytesToHex(chain.messageKey)).toBe(str(vector.expected, 'message_key_hex'))
    const keys = deriveMessageKeys(chain.messageKey)
    expect(bytesToHex(keys.encKey)).toBe(str(vector.expected, 'enc_key_hex'))
    expect(bytesToHex(keys.authKey)).toBe(str(vector.expected, 'auth_key_hex'))
    expect(bytesToHex(keys.iv)).toBe(str(vector.expected, 'iv_hex'))
    const ad = concatBytes(
      hex(vector.input, 'caller_ad_hex'),
      encodeHeader({ dh: hex(header, 'dh_pub_compressed_hex'), n: num(header, 'n'), pn: num(header, 'pn') }),
    )
    expect(bytesToHex(ad)).toBe(str(vector.expected, 'ad_hex'))
    const sealed = sealMessage(chain.messageKey, hex(vector.input, 'plaintext_hex'), ad)
    expect(bytesToHex(sealed)).toBe(str(vector.expected, 'ciphertext_hex'))
  })

  it("a RatchetSession initiator reproduces Alice's first message, and Bob decrypts it", () => {
    const step0 = caseById(cases, 'dr-session-step0-alice-init')
    const msg0 = caseById(cases, 'dr-session-alice-msg0')
    const sharedKey = hex(step0.input, 'root_key_hex')
    const bobSignedPreKey = hexToBytes('33'.repeat(32))
    const alice = RatchetSession.initiator(
      secp,
      { sharedKey, theirSignedPreKey: hex(step0.input, 'dh_remote_pub_compressed_hex') },
      { generateKey: () => hex(step0.input, 'dh_priv_hex') },
    )
    const plaintext = utf8ToBytes(str(msg0.input, 'plaintext_utf8'))
    const message = alice.encrypt(plaintext)
    const header = msg0.input?.header as VectorRecord
    expect(bytesToHex(message.header.dh)).toBe(str(header, 'dh_pub_compressed_hex'))
    expect(message.header.n).toBe(num(header, 'n'))
    expect(message.header.pn).toBe(num(header, 'pn'))
    expect(bytesToHex(message.ciphertext)).toBe(str(msg0.expected, 'ciphertext_hex'))

    const bob = RatchetSession.responder(secp, {
      sharedKey,
      signedPreKey: { privateKey: bobSignedPreKey, publicKey: secp.getPublicKey(bobSignedPreKey, true) },
    })
    expect(bob.decrypt(message.header, message.ciphertext)).toEqual(plaintext)
  })
})
