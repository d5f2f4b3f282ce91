import { type ArchivedMessage, InvalidParametersError } from '@parley/interfaces'
import {
  assertInt64,
  compareMessages,
  INT64_MAX,
  INT64_MIN,
  narrowBloom,
  pageOf,
  pageSize,
  seekBounds,
  topicBloom,
  topicMatcher,
  uniqueTopics,
  validateQuery,
} from '@parley/store-utils'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const message = (n: number, extra: Partial<ArchivedMessage> = {}): ArchivedMessage => ({
  hash: new Uint8Array(32).fill(n),
  timestamp: BigInt(n),
  topic: 'cafe0001',
  data: new Uint8Array([n]),
  ...extra,
})
const bloomOf = (topic: string): Uint8Array => topicBloom(topic) ?? new Uint8Array(64)

describe('validateQuery', () => {
  it('accepts an empty query and every well-formed field', () => {
    expect(() => validateQuery({})).not.toThrow()
    expect(() =>
      validateQuery({ from: 1n, to: 1n, limit: 0, bloom: new Uint8Array(64), cursor: message(1) }),
    ).not.toThrow()
  })

  it.each([
    ['an inverted range', { from: 2n, to: 1n }],
    ['a number for from', { from: 1 as unknown as bigint }],
    ['a number for to', { to: 1 as unknown as bigint }],
    ['a negative limit', { limit: -1 }],
    ['a NaN limit', { limit: Number.NaN }],
    ['a short bloom', { bloom: new Uint8Array(63) }],
    ['a cursor past int64', { cursor: { timestamp: INT64_MAX + 1n, hash: new Uint8Array(32) } }],
  ])('refuses %s with InvalidParametersError', (_, query) => {
    expect(() => validateQuery(query)).toThrow(InvalidParametersError)
  })
})

describe('assertInt64', () => {
  it('accepts exactly the signed 64-bit range', () => {
    expect(() => assertInt64(INT64_MIN, 't')).not.toThrow()
    expect(() => assertInt64(INT64_MAX, 't')).not.toThrow()
    expect(() => assertInt64(INT64_MIN - 1n, 't')).toThrow(InvalidParametersError)
    expect(() => assertInt64(INT64_MAX + 1n, 't')).toThrow(/t must be a bigint/)
    expect(() => assertInt64(5 as unknown as bigint, 't')).toThrow(InvalidParametersError)
  })
})

describe('pageSize and pageOf', () => {
  it('treat 0 or no limit as the default, cap large ones and floor fractions', () => {
    expect(pageSize(undefined, 50)).toBe(50)
    expect(pageSize(0, 50)).toBe(50)
    expect(pageSize(7.9, 50)).toBe(7)
    expect(pageSize(51, 50)).toBe(50)
  })

  it('give a cursor (a copy of the last message key) only when a match lies past the page', () => {
    const matches = [message(1), message(2), message(3)]
    const full = pageOf(matches, 2)
    expect(full.messages).toEqual(matches.slice(0, 2))
    expect(full.cursor).toEqual({ timestamp: 2n, hash: matches[1]?.hash })
    expect(full.cursor?.hash).not.toBe(matches[1]?.hash)
    expect(pageOf(matches, 3)).toEqual({ messages: matches })
    expect(pageOf([], 3)).toEqual({ messages: [] })
  })
})

describe('compareMessages', () => {
  it('orders by timestamp, then by hash bytes unsigned', () => {
    const a = { timestamp: 1n, hash: Uint8Array.of(0xff) }
    const b = { timestamp: 2n, hash: Uint8Array.of(0x00) }
    const c = { timestamp: 2n, hash: Uint8Array.of(0x80) }
    expect([c, b, a].sort(compareMessages)).toEqual([a, b, c])
    expect(compareMessages(c, { timestamp: 2n, hash: Uint8Array.of(0x80) })).toBe(0)
  })
})

describe('topicMatcher and uniqueTopics', () => {
  it('test topics, pubsub topic (absent is empty) and bloom, but not time', () => {
    expect(topicMatcher({})(message(1))).toBe(true)
    expect(topicMatcher({ topics: ['cafe0001'], to: 0n })(message(1))).toBe(true)
    expect(topicMatcher({ topics: ['beef0001'] })(message(1))).toBe(false)
    expect(topicMatcher({ topics: [] })(message(1))).toBe(true)
    expect(topicMatcher({ pubsubTopic: '' })(message(1))).toBe(true)
    expect(topicMatcher({ pubsubTopic: '/waku/2/rs/0/0' })(message(1))).toBe(false)
    expect(topicMatcher({ pubsubTopic: 'p' })(message(1, { pubsubTopic: 'p' }))).toBe(true)
    expect(topicMatcher({ bloom: bloomOf('cafe0001') })(message(1))).toBe(true)
    expect(topicMatcher({ bloom: new Uint8Array(64) })(message(1))).toBe(false)
  })

  it('drop repeats in first-seen order', () => {
    expect(uniqueTopics(['b', 'a', 'b'])).toEqual(['b', 'a'])
    expect(uniqueTopics(undefined)).toEqual([])
  })
})

describe('narrowBloom', () => {
  const stored = ['cafe0001', 'cafe0002', 'beef0001', '/waku/2/content/proto']

  it('leaves a query without a bloom as it is', () => {
    const query = { topics: ['cafe0001'], limit: 3 }
    expect(narrowBloom(query, stored, 32)).toBe(query)
  })

  it('turns a bloom into the stored topics within it, keeping the other fields', () => {
    const bloom = bloomOf('cafe0001').map((byte, index) => byte | (bloomOf('beef0001')[index] ?? 0))
    expect(narrowBloom({ bloom, limit: 3, from: 1n }, stored, 32)).toEqual({
      topics: ['cafe0001', 'beef0001'],
      limit: 3,
      from: 1n,
    })
  })

  it("intersects with the query's topics", () => {
    const bloom = new Uint8Array(64).fill(0xff)
    expect(narrowBloom({ bloom, topics: ['beef0001', 'dead0001'] }, stored, 32)).toEqual({
      topics: ['beef0001'],
    })
  })

  it('says nothing matches when no stored topic is within the bloom', () => {
    expect(narrowBloom({ bloom: new Uint8Array(64) }, stored, 32)).toBeUndefined()
  })

  it('keeps the bloom when more than maxTopics match, without reading every stored topic', () => {
    const query = { bloom: new Uint8Array(64).fill(0xff) }
    let read = 0
    function* many(): Generator<string> {
      for (let n = 0; n < 1000; n++) {
        read += 1
        yield n.toString(16).padStart(8, '0')
      }
    }
    expect(narrowBloom(query, many(), 2)).toBe(query)
    expect(read).toBe(3)
  })
})

describe('seekBounds', () => {
  const cursor = { timestamp: 10n, hash: new Uint8Array(32) }

  it('keeps the range when there is no cursor, dropping bounds at the ends of int64', () => {
    expect(seekBounds({ from: 1n, to: 5n })).toEqual({ from: 1n, to: 5n })
    expect(seekBounds({ from: INT64_MIN, to: INT64_MAX })).toEqual({})
  })

  it('says a range wholly outside int64 matches nothing', () => {
    expect(seekBounds({ from: INT64_MAX + 1n })).toBeUndefined()
    expect(seekBounds({ to: INT64_MIN - 1n })).toBeUndefined()
  })

  it("keeps only the tighter of cursor and time bound on the cursor's side", () => {
    expect(seekBounds({ from: 5n, to: 20n }, cursor)).toEqual({ after: cursor, to: 20n })
    expect(seekBounds({ from: 11n, to: 20n }, cursor)).toEqual({ from: 11n, to: 20n })
    expect(seekBounds({ from: 1n, to: 20n }, cursor, true)).toEqual({ before: cursor, from: 1n })
    expect(seekBounds({ from: 1n, to: 9n }, cursor, true)).toEqual({ from: 1n, to: 9n })
    expect(seekBounds({}, cursor, true)).toEqual({ before: cursor })
  })

  it('selects exactly what the range and cursor select', () => {
    const int = fc.bigInt({ min: -20n, max: 20n })
    fc.assert(
      fc.property(
        fc.option(int, { nil: undefined }),
        fc.option(int, { nil: undefined }),
        fc.option(int, { nil: undefined }),
        fc.boolean(),
        int,
        (from, to, at, backward, timestamp) => {
          const key = { timestamp, hash: Uint8Array.of(1) }
          const position = at === undefined ? undefined : { timestamp: at, hash: Uint8Array.of(1) }
          const direct =
            (from === undefined || timestamp >= from) &&
            (to === undefined || timestamp <= to) &&
            (position === undefined || compareMessages(key, position) * (backward ? -1 : 1) > 0)
          const bounds = seekBounds({ from, to }, position, backward)
          const bounded =
            bounds !== undefined &&
            (bounds.from === undefined || timestamp >= bounds.from) &&
            (bounds.to === undefined || timestamp <= bounds.to) &&
            (bounds.after === undefined || compareMessages(key, bounds.after) > 0) &&
            (bounds.before === undefined || compareMessages(key, bounds.before) < 0)
          expect(bounded).toBe(direct)
        },
      ),
    )
  })
})
