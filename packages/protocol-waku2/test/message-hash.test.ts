/** 14/WAKU2-MESSAGE deterministic hash against every case of waku2-message-hash.json. */
import { bytesToHex } from '@parley/crypto'
import { computeMessageHash } from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { caseById, loadCases, messageOf, str } from './vectors.ts'

const cases = loadCases('waku2-message-hash.json')

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
