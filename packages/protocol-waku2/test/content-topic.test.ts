/** Content topic parsing, validation and formatting. */
import { InvalidParametersError } from '@parley/interfaces'
import { formatContentTopic, isValidContentTopic, parseContentTopic } from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { loadCases } from './vectors.ts'

const invalidVectors = loadCases('waku2-sharding.json').filter(
  (vector) => vector.kind === 'content_topic_validation',
)

describe('parseContentTopic', () => {
  it('parses the four-field form as generation 0', () => {
    expect(parseContentTopic('/toychat/2/huilong/proto')).toEqual({
      generation: 0,
      application: 'toychat',
      version: '2',
      name: 'huilong',
      encoding: 'proto',
    })
  })

  it('parses the generation-prefixed form', () => {
    expect(parseContentTopic('/0/statusim/1/community/cbor')).toEqual({
      generation: 0,
      application: 'statusim',
      version: '1',
      name: 'community',
      encoding: 'cbor',
    })
  })

  it('the vector file has content-topic validation cases', () => {
    expect(invalidVectors.length).toBeGreaterThan(0)
  })

  for (const vector of invalidVectors) {
    const topics = vector.input.content_topics as string[]
    it.each(topics)(`${vector.id}: rejects %j`, (topic) => {
      expect(vector.expected.valid).toBe(false)
      expect(() => parseContentTopic(topic)).toThrow(InvalidParametersError)
      expect(isValidContentTopic(topic)).toBe(false)
    })
  }

  it.each(['', '/', '/a/b/c', '/a/1/b/c/', '/0/a/1/b/c/d', '//1/b/c', '/a//b/c', '/a/1//c', '/-1/a/1/b/c'])(
    'rejects %j',
    (topic) => {
      expect(() => parseContentTopic(topic)).toThrow(InvalidParametersError)
    },
  )
})

describe('formatContentTopic', () => {
  it('writes the four-field form, or the prefixed form when a generation is given', () => {
    const parts = { application: 'toychat', version: '2', name: 'huilong', encoding: 'proto' }
    expect(formatContentTopic(parts)).toBe('/toychat/2/huilong/proto')
    expect(formatContentTopic({ ...parts, generation: 0 })).toBe('/0/toychat/2/huilong/proto')
  })

  it.each([
    { application: '', version: '1', name: 'n', encoding: 'e' },
    { application: 'a/b', version: '1', name: 'n', encoding: 'e' },
    { application: 'a', version: '1', name: 'n/m', encoding: 'e' },
    { application: 'a', version: '1', name: 'n', encoding: 'e', generation: 1 },
    { application: 'a', version: '1', name: 'n', encoding: 'e', generation: -1 },
  ])('rejects %j', (parts) => {
    expect(() => formatContentTopic(parts)).toThrow(InvalidParametersError)
  })
})
