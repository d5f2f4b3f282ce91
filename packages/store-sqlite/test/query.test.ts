import { DatabaseSync } from 'node:sqlite'
import {
  BASE,
  compareMessages,
  hashOf,
  keyOf,
  message,
  pageAll,
  seededRandom,
  toHex,
} from '@parley/compliance-tests'
import type { ArchivedMessage, MessageQuery } from '@parley/interfaces'
import { SqliteStore } from '@parley/store-sqlite'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../src/migrations.ts'
import { pageSql } from '../src/query-sql.ts'
import { DRIVERS } from './drivers.ts'

const TOPICS = Array.from({ length: 40 }, (_, n) => `topic-${n}`)

/** 400 messages over 10 of the 40 topics, two pubsub topics and 60 timestamps (many ties). */
function dataset(): ArchivedMessage[] {
  const random = seededRandom(5)
  return Array.from({ length: 400 }, (_, n) =>
    message(n, {
      timestamp: BASE + BigInt(Math.floor(random() * 60)),
      topic: TOPICS[Math.floor(random() * 10)] as string,
      pubsubTopic: n % 3 === 0 ? '/waku/2/b' : '/waku/2/a',
    }),
  )
}

function matches(item: ArchivedMessage, query: MessageQuery): boolean {
  return (
    (query.from === undefined || item.timestamp >= query.from) &&
    (query.to === undefined || item.timestamp <= query.to) &&
    (!query.topics?.length || query.topics.includes(item.topic)) &&
    (query.pubsubTopic === undefined || item.pubsubTopic === query.pubsubTopic) &&
    (query.hashes === undefined || query.hashes.some((hash) => toHex(hash) === toHex(item.hash)))
  )
}

const queries: fc.Arbitrary<MessageQuery> = fc.record(
  {
    from: fc.integer({ min: -5, max: 65 }).map((n) => BASE + BigInt(n)),
    to: fc.integer({ min: -5, max: 65 }).map((n) => BASE + BigInt(n)),
    // Up to 40 topics, duplicates allowed: covers one topic, the per-topic merge and the JSON list.
    topics: fc.array(fc.constantFrom(...TOPICS), { maxLength: 40 }),
    pubsubTopic: fc.constantFrom('/waku/2/a', '/waku/2/b'),
    hashes: fc.array(fc.integer({ min: 0, max: 450 }).map(hashOf), { minLength: 1, maxLength: 30 }),
    limit: fc.integer({ min: 1, max: 40 }),
    direction: fc.constantFrom('forward' as const, 'backward' as const),
  },
  { requiredKeys: ['limit'] },
)

describe.each(DRIVERS)('SqliteStore (%s) queries against a model', (driver) => {
  const all = dataset()
  const store = new SqliteStore({ path: ':memory:', driver, maxPageSize: 25 })
  beforeAll(async () => {
    await store.start()
    await store.insert(all)
  })
  afterAll(() => store.stop())

  it('every filter, direction and page size pages through exactly the matching messages', async () => {
    await fc.assert(
      fc.asyncProperty(queries, async (query) => {
        if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
          // An inverted range is a caller's mistake, reported rather than answered with nothing.
          await expect(store.query(query)).rejects.toMatchObject({ code: 'ERR_INVALID_PARAMETERS' })
          await expect(store.count(query)).rejects.toMatchObject({ code: 'ERR_INVALID_PARAMETERS' })
          return
        }
        const expected = all
          .filter((item) => matches(item, query))
          .sort(compareMessages)
          .map(keyOf)
        if (query.direction === 'backward') expected.reverse()
        expect((await pageAll(store, query)).keys).toEqual(expected)
        expect(await store.count(query)).toBe(expected.length)
      }),
      { numRuns: 150 },
    )
  })
})

describe('query plans', () => {
  const db = new DatabaseSync(':memory:')
  for (const migration of MIGRATIONS) db.exec(migration)
  afterAll(() => db.close())
  const cursor = { timestamp: BASE, hash: hashOf(1) }

  function plan(query: MessageQuery): string[] {
    const page = pageSql(query, 11)
    if (page === undefined) throw new Error('no SQL for a satisfiable query')
    return db
      .prepare(`EXPLAIN QUERY PLAN ${page.sql}`)
      .all(...page.parameters)
      .map((row) => String(row.detail))
  }

  it.each<[string, MessageQuery]>([
    ['no filter', {}],
    ['cursor forward inside a time range', { cursor, from: BASE - 10n, to: BASE + 10n }],
    [
      'cursor backward inside a time range',
      { cursor, from: BASE - 10n, to: BASE + 10n, direction: 'backward' },
    ],
    ['one topic with a cursor', { cursor, topics: ['a'] }],
    ['three topics with a cursor', { cursor, topics: ['a', 'b', 'c'], direction: 'backward' }],
  ])('%s: seeks an index in order, never scanning or sorting the table', (_, query) => {
    const steps = plan(query)
    const reads = steps.filter((step) => / messages /.test(`${step} `))
    expect(reads.length).toBeGreaterThan(0)
    for (const step of reads) expect(step).toMatch(/^(SEARCH|SCAN) messages USING (COVERING )?INDEX/)
    // A merge of per-topic pages may sort those pages; a single select must not sort at all.
    if ((query.topics?.length ?? 0) <= 1) expect(steps.join(' | ')).not.toContain('TEMP B-TREE')
    if (query.cursor !== undefined) expect(steps.join(' | ')).toContain('(timestamp,hash)')
  })
})
