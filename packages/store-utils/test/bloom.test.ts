import { bloomMatches, topicToBloom } from '@parley/envelope'
import { BLOOM_BYTES, topicBloom, topicInBloom } from '@parley/store-utils'
import { caseById, casesWithPrefix, field, loadVectors, str, toHex, unhex } from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const cases = loadVectors('whisper-v6.json')
const topicHex = fc.uint8Array({ minLength: 4, maxLength: 4 }).map(toHex)

describe('topicBloom', () => {
  it('matches the go-ethereum TestBloom vector', () => {
    const vector = caseById(cases, 'bloom-topic-0000ff06')
    const bloom = topicBloom(str(vector.input, 'topic'))
    expect(toHex(bloom ?? new Uint8Array(0))).toBe(str(vector.expected, 'bloom'))
  })

  it('assigns rather than ORs a byte, as go-ethereum and status-go do (not as EIP-627 reads)', () => {
    const vectors = casesWithPrefix(cases, 'bloom-geth-algorithm-')
    expect(vectors.some((vector) => field<boolean>(vector.derived, 'variants_differ'))).toBe(true)
    for (const vector of vectors) {
      const bloom = topicBloom(str(vector.input, 'topic'))
      expect(toHex(bloom ?? new Uint8Array(0)), vector.id).toBe(
        str(vector.derived, 'bloom_go_ethereum_status_go'),
      )
      if (field<boolean>(vector.derived, 'variants_differ')) {
        expect(toHex(bloom ?? new Uint8Array(0))).not.toBe(str(vector.derived, 'bloom_eip627_or_semantics'))
      }
    }
  })

  it('accepts upper-case hex and has no bloom for other topics', () => {
    expect(topicBloom('AABBCCDD')).toEqual(topicBloom('aabbccdd'))
    for (const topic of ['', 'cafe', 'cafe00011', '0xcafe01', 'zzzzzzzz', '/waku/2/default-content/proto']) {
      expect(topicBloom(topic), topic).toBeUndefined()
    }
  })

  it("agrees with @parley/envelope's topicToBloom for every topic", () => {
    fc.assert(
      fc.property(topicHex, (topic) => {
        expect(topicBloom(topic)).toEqual(topicToBloom(unhex(topic)))
      }),
    )
  })
})

describe('topicInBloom', () => {
  it('is bloomMatches(bloom, topicToBloom(topic)) for any topic and bloom', () => {
    const bloom = fc.oneof(
      fc.uint8Array({ minLength: BLOOM_BYTES, maxLength: BLOOM_BYTES }),
      // Sparse blooms, so that both answers occur often.
      fc.array(topicHex, { maxLength: 4 }).map((topics) => {
        const merged = new Uint8Array(BLOOM_BYTES)
        for (const topic of topics) {
          topicBloom(topic)?.forEach((byte, index) => {
            merged[index] = (merged[index] as number) | byte
          })
        }
        return merged
      }),
    )
    fc.assert(
      fc.property(topicHex, bloom, (topic, filter) => {
        expect(topicInBloom(topic, filter)).toBe(bloomMatches(filter, topicToBloom(unhex(topic))))
      }),
    )
  })

  it('finds a topic in its own bloom and not in an empty one; other topics never match', () => {
    const bloom = topicBloom('cafe0001') ?? new Uint8Array(0)
    expect(topicInBloom('cafe0001', bloom)).toBe(true)
    expect(topicInBloom('cafe0001', new Uint8Array(BLOOM_BYTES))).toBe(false)
    expect(topicInBloom('/waku/2/x/proto', new Uint8Array(BLOOM_BYTES).fill(0xff))).toBe(false)
  })
})
