/** Envelope strictness (go-ethereum's rlp.Decode into its struct), sealing, and the add() checks. */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import {
  decodeEnvelope,
  decodeEnvelopes,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  envelopePow,
  sealEnvelope,
  topicFromName,
  topicToBloom,
  validateEnvelope,
} from '@parley/envelope'
import { AbortError, DecodeError, InvalidParametersError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'

const topic = hexToBytes('00000000')
const data = hexToBytes('deadbeef')
const base: Envelope = { expiry: 0, ttl: 1, topic, data, nonce: 100000n }

describe('decodeEnvelope rejects what go-ethereum rejects', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['four elements', encode([0, 1, topic, data])],
    ['six elements (the struct has no rlp:"tail" field)', encode([0, 1, topic, data, 1, 2])],
    ['a 3-byte topic', encode([0, 1, hexToBytes('000000'), data, 1])],
    ['a 5-byte topic', encode([0, 1, hexToBytes('0000000000'), data, 1])],
    ['an expiry over uint32', encode([2 ** 32, 1, topic, data, 1])],
    ['a nonce over uint64', encode([0, 1, topic, data, 2n ** 64n])],
    ['an integer with a leading zero', hexToBytes('d0820001840000000084deadbeef820114')],
    ['a list where the data belongs', encode([0, 1, topic, [], 1])],
    ['not a list', encode(data)],
  ]
  for (const [name, bytes] of cases) {
    it(name, () => {
      expect(() => decodeEnvelope(bytes)).toThrow(DecodeError)
    })
  }

  it('input over maxLength, before any decoding', () => {
    expect(() => decodeEnvelope(encodeEnvelope(base), { maxLength: 10 })).toThrow(/over the 10-byte limit/)
  })

  it('a Messages packet with more envelopes than maxEnvelopes', () => {
    const payload = encodeEnvelopes([base, base, base])
    expect(decodeEnvelopes(payload, { maxEnvelopes: 3 })).toHaveLength(3)
    expect(() => decodeEnvelopes(payload, { maxEnvelopes: 2 })).toThrow(DecodeError)
  })

  it('one bad envelope fails the whole Messages packet, as in go-ethereum', () => {
    const payload = encode([
      [0, 1, topic, data, 1],
      [0, 1, topic, data],
    ])
    expect(() => decodeEnvelopes(payload)).toThrow(DecodeError)
  })

  it('decoded fields are copies, not views into the packet', () => {
    const payload = encodeEnvelope(base)
    const envelope = decodeEnvelope(payload)
    payload.fill(0)
    expect(bytesToHex(envelope.data)).toBe('deadbeef')
  })
})

describe('encodeEnvelope', () => {
  it('rejects fields that do not fit their Go types', () => {
    expect(() => encodeEnvelope({ ...base, expiry: 2 ** 32 })).toThrow(InvalidParametersError)
    expect(() => encodeEnvelope({ ...base, ttl: -1 })).toThrow(InvalidParametersError)
    expect(() => encodeEnvelope({ ...base, topic: new Uint8Array(3) })).toThrow(InvalidParametersError)
    expect(() => encodeEnvelope({ ...base, nonce: 2n ** 64n })).toThrow(InvalidParametersError)
  })
})

describe('sealEnvelope', () => {
  it('sets expiry = now + ttl and finds a nonce meeting the target', async () => {
    const envelope = await sealEnvelope(
      { topic: topicFromName('test'), data: new Uint8Array(100), ttl: 10, pow: 0.5 },
      { now: 1_700_000_000 },
    )
    expect(envelope.expiry).toBe(1_700_000_010)
    expect(envelope.ttl).toBe(10)
    expect(envelopePow(envelope)).toBeGreaterThanOrEqual(0.5)
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope)
  })

  it('pow 0 means nonce 0, as in go-ethereum', async () => {
    const envelope = await sealEnvelope({ topic, data, ttl: 10, pow: 0 }, { now: 0 })
    expect(envelope.nonce).toBe(0n)
  })

  it('honours an aborted signal', async () => {
    const signal = AbortSignal.abort()
    await expect(sealEnvelope({ topic, data, ttl: 10, pow: 1e6 }, { signal, worker: false })).rejects.toThrow(
      AbortError,
    )
  })
})

describe('validateEnvelope (go-ethereum add() order and rules)', () => {
  const now = 1_700_000_000
  const fresh: Envelope = { expiry: now + 10, ttl: 10, topic, data, nonce: 0n }

  it('accepts a fresh envelope and reports its pow', () => {
    expect(validateEnvelope(fresh, { now, minPow: 0 })).toEqual({ ok: true, pow: envelopePow(fresh) })
  })

  it('future: sent more than the sync allowance ahead', () => {
    expect(validateEnvelope({ ...fresh, expiry: now + 21 }, { now, minPow: 0 })).toEqual({
      ok: false,
      reason: 'future',
    })
    // sent exactly 10 s ahead is tolerated, and its pow is divided by ttl + (sent - now + 1)
    const ahead = { ...fresh, expiry: now + 20 }
    expect(validateEnvelope(ahead, { now, minPow: 0 })).toEqual({ ok: true, pow: envelopePow(ahead, 11) })
    expect(envelopePow(ahead, 11)).toBeLessThan(envelopePow(ahead))
  })

  it('a ttl above the expiry wraps like Go uint32 and reads as far future', () => {
    expect(validateEnvelope({ ...fresh, expiry: 5, ttl: 10 }, { now, minPow: 0 })).toEqual({
      ok: false,
      reason: 'future',
    })
  })

  it('expired within twice the allowance is a silent drop; older is an error', () => {
    expect(validateEnvelope({ ...fresh, expiry: now - 20 }, { now, minPow: 0 })).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect(validateEnvelope({ ...fresh, expiry: now - 21 }, { now, minPow: 0 })).toEqual({
      ok: false,
      reason: 'too-old',
    })
  })

  it('too big: 20 + len(Data) over maxSize', () => {
    expect(validateEnvelope(fresh, { now, minPow: 0, maxSize: 24 }).ok).toBe(true)
    expect(validateEnvelope(fresh, { now, minPow: 0, maxSize: 23 })).toEqual({ ok: false, reason: 'too-big' })
  })

  it('low pow', () => {
    const pow = envelopePow(fresh)
    expect(validateEnvelope(fresh, { now, minPow: pow * 2 })).toEqual({ ok: false, reason: 'low-pow', pow })
  })

  it('bloom mismatch only when a bloom is given', () => {
    const other = topicToBloom(hexToBytes('aabbccdd'))
    expect(validateEnvelope(fresh, { now, minPow: 0, bloom: other })).toMatchObject({
      reason: 'bloom-mismatch',
    })
    expect(validateEnvelope(fresh, { now, minPow: 0, bloom: topicToBloom(topic) }).ok).toBe(true)
  })
})
