/** The Waku v1 ⇄ v2 bridge topic mapping (status-payloads.json waku_v1_topic cases). */
import { hexToBytes, keccak256, utf8ToBytes } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'
import {
  contentTopicToWakuV1Topic,
  isValidContentTopic,
  isWakuV1ContentTopic,
  wakuV1TopicToContentTopic,
} from '@parley/protocol-waku2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseById, loadCases, str } from './vectors.ts'

const cases = loadCases('status-payloads.json')
const named = cases.filter(
  (vector) => vector.kind === 'waku_v1_topic' && typeof vector.input.name === 'string',
)

describe('Waku v1 bridge content topics', () => {
  it('the vector file has named topic cases', () => {
    expect(named.length).toBeGreaterThan(0)
  })

  it.each(named.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const topic = hexToBytes(str(vector.expected, 'topic_hex'))
    expect(keccak256(utf8ToBytes(str(vector.input, 'name'))).subarray(0, 4)).toEqual(topic)
    const contentTopic = str(vector.expected, 'content_topic')
    expect(wakuV1TopicToContentTopic(topic)).toBe(contentTopic)
    expect(contentTopicToWakuV1Topic(contentTopic)).toEqual(topic)
  })

  it('status-go topic strings (topic_test.go) appear inside the content topic', () => {
    const vector = caseById(cases, 'topic-string-official')
    const topics = vector.input.topics_hex as string[]
    const strings = vector.expected.strings as string[]
    topics.forEach((hex, index) => {
      expect(wakuV1TopicToContentTopic(hexToBytes(hex))).toBe(`/waku/1/${strings[index]}/rfc26`)
    })
  })

  it('23/WAKU2-TOPICS example', () => {
    expect(wakuV1TopicToContentTopic(Uint8Array.of(0x00, 0x7f, 0x80, 0xff))).toBe('/waku/1/0x007f80ff/rfc26')
  })

  it('is a bijection between 4-byte topics and valid content topics', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (topic) => {
        const contentTopic = wakuV1TopicToContentTopic(topic)
        expect(isValidContentTopic(contentTopic)).toBe(true)
        expect(isWakuV1ContentTopic(contentTopic)).toBe(true)
        expect(contentTopicToWakuV1Topic(contentTopic)).toEqual(topic)
      }),
    )
  })

  it.each([3, 5, 0])('rejects a %i-byte topic', (length) => {
    expect(() => wakuV1TopicToContentTopic(new Uint8Array(length))).toThrow(InvalidParametersError)
  })

  it.each([
    '/waku/1/0x007F80FF/rfc26',
    '/waku/1/007f80ff/rfc26',
    '/waku/1/0x007f80/rfc26',
    '/waku/1/0x007f80ff00/rfc26',
    '/waku/1/0x007f80ff/proto',
    '/waku/2/0x007f80ff/rfc26',
    '/0/waku/1/0x007f80ff/rfc26',
  ])('rejects %j', (contentTopic) => {
    expect(isWakuV1ContentTopic(contentTopic)).toBe(false)
    expect(() => contentTopicToWakuV1Topic(contentTopic)).toThrow(InvalidParametersError)
  })
})
