/** 14/WAKU2-MESSAGE deterministic hash against every case of waku2-message-hash.json. */
import { bytesToHex, hexToBytes, sha256 } from '@parley/crypto'
import { computeMessageHash, type WakuMessage } from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { caseById, loadCases, str, type VectorCase } from './vectors.ts'

const cases = loadCases('waku2-message-hash.json')

function messageOf(vector: VectorCase): WakuMessage {
  const { input } = vector
  const meta = input.meta_hex
  const timestamp = input.timestamp_hex_be64
  return {
    payload: hexToBytes(str(input, 'payload_hex')),
    contentTopic: str(input, 'content_topic'),
    ...(typeof meta === 'string' ? { meta: hexToBytes(meta) } : {}),
    // The hex field is exact; timestamp_ns is a JSON number and may have lost precision.
    ...(typeof timestamp === 'string' ? { timestamp: BigInt(`0x${timestamp}`) } : {}),
  }
}

/** js-waku's reading of the preimage: no timestamp bytes at all when the timestamp is absent or 0. */
function jsWakuStylePreimage(pubsubTopic: string, message: WakuMessage): Uint8Array {
  const encoder = new TextEncoder()
  const timestamp = message.timestamp ?? 0n
  const parts = [
    encoder.encode(pubsubTopic),
    message.payload,
    encoder.encode(message.contentTopic),
    message.meta ?? new Uint8Array(0),
  ]
  if (timestamp !== 0n) {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setBigUint64(0, timestamp, false)
    parts.push(bytes)
  }
  return new Uint8Array(parts.flatMap((part) => [...part]))
}

describe('computeMessageHash', () => {
  const nwakuReading = cases.filter((vector) => !vector.id.includes('OMITTED'))
  it.each(nwakuReading.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const hash = computeMessageHash(str(vector.input, 'pubsub_topic'), messageOf(vector))
    expect(bytesToHex(hash)).toBe(str(vector.expected, 'message_hash_hex'))
  })

  it('the vector file has the hash cases this suite expects', () => {
    expect(nwakuReading.length).toBeGreaterThanOrEqual(9)
    expect(cases.length).toBe(nwakuReading.length + 1)
  })

  it('version, ephemeral and rateLimitProof are not hashed', () => {
    const vector = caseById(cases, 'rfc14-meta-12B')
    const plain = messageOf(vector)
    const decorated = { ...plain, version: 1, ephemeral: true, rateLimitProof: new Uint8Array([1, 2, 3]) }
    const topic = str(vector.input, 'pubsub_topic')
    expect(computeMessageHash(topic, decorated)).toEqual(computeMessageHash(topic, plain))
  })

  it('empty meta and absent meta hash the same (both contribute no bytes)', () => {
    const message = messageOf(caseById(cases, 'rfc14-meta-absent'))
    expect(computeMessageHash('/waku/2/rs/0/0', { ...message, meta: new Uint8Array(0) })).toEqual(
      computeMessageHash('/waku/2/rs/0/0', message),
    )
  })

  it('a negative timestamp is hashed as its two’s-complement uint64', () => {
    const message = { payload: new Uint8Array(0), contentTopic: '/a/1/b/c', timestamp: -1n }
    const viaUnsigned = { ...message, timestamp: (1n << 64n) - 1n }
    expect(computeMessageHash('/waku/2/rs/0/0', message)).toEqual(
      computeMessageHash('/waku/2/rs/0/0', viaUnsigned),
    )
  })
})

describe('absent timestamp: we match nwaku/go-waku (8 zero bytes), not js-waku (no bytes) — notes §17 item 1', () => {
  const zero = caseById(cases, 'gowaku-timestamp-absent-ZERO')
  const omitted = caseById(cases, 'jswaku-timestamp-absent-OMITTED')

  it('both vectors describe the same message', () => {
    expect(omitted.input).toEqual(zero.input)
  })

  it('our hash equals the nwaku/go-waku value and differs from the js-waku value', () => {
    const hash = bytesToHex(computeMessageHash(str(zero.input, 'pubsub_topic'), messageOf(zero)))
    expect(hash).toBe(str(zero.expected, 'message_hash_hex'))
    expect(hash).not.toBe(str(omitted.expected, 'message_hash_hex'))
  })

  it('the js-waku reading reproduces the js-waku vector (so the two readings are what differs)', () => {
    const preimage = jsWakuStylePreimage(str(omitted.input, 'pubsub_topic'), messageOf(omitted))
    expect(bytesToHex(preimage)).toBe(omitted.derived_preimage_hex)
    expect(bytesToHex(sha256(preimage))).toBe(str(omitted.expected, 'message_hash_hex'))
  })

  it('an explicit timestamp of 0 hashes like an absent one (8 zero bytes)', () => {
    const message = messageOf(zero)
    expect(computeMessageHash('/t', { ...message, timestamp: 0n })).toEqual(computeMessageHash('/t', message))
  })
})
