/**
 * Where the published specs and deployed status-go disagree; we follow status-go
 * (notes/wire-waku2-and-upper.md §17 items 8, 16).
 */
import { generatePrivateKey, keccak256, loadCrypto, sha256 } from '@parley/crypto'
import { describe, expect, it } from 'vitest'
import { SYM_KEY_PBKDF2_ITERATIONS, unwrapMessage, wrapMessage } from '../src/index.ts'

/** protobuf tag bytes of a length-delimited field */
function tag(fieldNumber: number): number[] {
  const out: number[] = []
  let value = (fieldNumber << 3) | 2
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80)
    value >>>= 7
  }
  out.push(value)
  return out
}

describe('62/STATUS-PAYLOADS vs deployed status-go', () => {
  it('uses ApplicationMetadataMessage fields 1/2/3, not StatusProtocolMessage 4001/4002', async () => {
    const secp = (await loadCrypto()).secp256k1
    const bytes = wrapMessage(Uint8Array.of(0xaa), 1, generatePrivateKey(), secp)
    expect(bytes[0]).toBe(tag(1)[0]) // signature = 1
    expect(bytes[67]).toBe(tag(2)[0]) // payload = 2
    expect(Array.from(bytes.subarray(0, 3))).not.toEqual(tag(4001))
    // an envelope in the spec's layout does not decode into a signed message
    const specShaped = Uint8Array.from([...tag(4001), 65, ...new Uint8Array(65), ...tag(4002), 1, 0xaa])
    expect(() => unwrapMessage(specShaped, secp)).toThrow(/signature/)
  })

  it('signs keccak256(payload), not SHA3-256 (the spec says SHA3)', async () => {
    const secp = (await loadCrypto()).secp256k1
    const key = generatePrivateKey()
    const payload = Uint8Array.of(1, 2, 3)
    const signed = unwrapMessage(wrapMessage(payload, 1, key, secp), secp)
    const author = secp.getPublicKey(key, false)
    expect(secp.verify(keccak256(payload), signed.signature, author)).toBe(true)
    // a different digest (SHA-256 here, standing in for any non-keccak hash) does not verify
    expect(secp.verify(sha256(payload), signed.signature, author)).toBe(false)
  })

  it('derives public-chat keys with 65356 PBKDF2 iterations (not 65536)', () => {
    expect(SYM_KEY_PBKDF2_ITERATIONS).toBe(65356)
    expect(SYM_KEY_PBKDF2_ITERATIONS).not.toBe(2 ** 16)
  })
})
