/** The archive cases at a tiny size: their shape, and that what they time is the right work. */
import type { MessageArchive, MessageQuery } from '@parley/interfaces'
import { SqliteStore } from '@parley/store-sqlite'
import { describe, expect, it } from 'vitest'
import { parseBenchArgs } from '../src/args.ts'
import { archiveCases } from '../src/cases/archive.ts'
import { type ArchiveStoreKind, archiveStoreKinds } from '../src/cases/archive-stores.ts'
import {
  archiveBatch,
  archiveEnvelope,
  DEFAULT_WORKLOAD,
  historyQuery,
  QUERY_SHAPES,
  topicName,
  topicsBloom,
  xorshift,
} from '../src/cases/archive-workload.ts'
import { runBenchmarks } from '../src/harness.ts'
import { ARCHIVE_INGEST_TARGET, ARCHIVE_QUERY_P99_TARGET } from '../src/targets.ts'
import type { ReferenceRunner } from '../src/types.ts'

const noNative: ReferenceRunner = {
  unavailable: () => 'no native program in this test',
  measure: () => Promise.reject(new Error('not called')),
}

const SIZE = 2000
const workload = { ...DEFAULT_WORKLOAD, size: SIZE }
const DAY_NS = 86_400n * 1_000_000_000n

describe('archive workload', () => {
  it('envelopes are deterministic, unique by hash, and spread over the days in time order', () => {
    const first = archiveBatch(0, SIZE, workload, xorshift(42))
    expect(archiveBatch(0, SIZE, workload, xorshift(42))).toEqual(first)
    expect(new Set(first.map((e) => Buffer.from(e.hash).toString('hex'))).size).toBe(SIZE)
    for (let n = 1; n < SIZE; n++) expect(first[n]!.timestamp >= first[n - 1]!.timestamp).toBe(true)
    const span = first.at(-1)!.timestamp - first[0]!.timestamp
    expect(span > 29n * DAY_NS && span <= 30n * DAY_NS).toBe(true)
    expect(first.every((e) => e.data.length === 300 && e.timestamp % 1_000_000_000n === 0n)).toBe(true)
    // past the archive's size, ingest appends newer envelopes
    expect(archiveEnvelope(SIZE, workload, xorshift(1)).timestamp >= first.at(-1)!.timestamp).toBe(true)
  })

  it('queries take every shape in turn, 100 envelopes over 24 h inside the archive', () => {
    const random = xorshift(7)
    const start = archiveEnvelope(0, workload, random).timestamp
    const seen = new Set<string>()
    for (let index = 0; index < 50; index++) {
      const { shape, query } = historyQuery(index, workload, random)
      seen.add(shape)
      expect(query.limit).toBe(100)
      expect(query.to! - query.from!).toBe(DAY_NS)
      expect(query.from! >= start && query.to! <= start + 30n * DAY_NS).toBe(true)
    }
    expect([...seen]).toEqual(QUERY_SHAPES.map((shape) => shape.name))
  })

  it("the bloom is go-ethereum's TopicToBloom: a store finds its topics by it, and few others", async () => {
    const store = new SqliteStore({ path: ':memory:' })
    await store.start()
    try {
      await store.insert(archiveBatch(0, SIZE, workload, xorshift(42)))
      const topics = [topicName(0), topicName(1), topicName(2)]
      const page = await store.query({ bloom: topicsBloom(topics), limit: SIZE })
      const found = new Set(page.messages.map((message) => message.topic))
      expect(topics.every((topic) => found.has(topic))).toBe(true)
      expect(found.size).toBeLessThan(10)
    } finally {
      await store.stop()
    }
  })
})

/** Matches the query's range and page size, checked on every page the query cases fetch. */
function checkPage(query: MessageQuery, page: Awaited<ReturnType<MessageArchive['query']>>): void {
  expect(page.messages.length).toBeLessThanOrEqual(100)
  for (const message of page.messages) {
    expect(message.timestamp >= query.from! && message.timestamp <= query.to!).toBe(true)
    if (query.topics !== undefined) expect(query.topics).toContain(message.topic)
  }
}

/** The real store, with every insert counted and every page checked. */
function observed(kind: ArchiveStoreKind, counts: Map<string, { inserted: number; pages: number }>) {
  const count = { inserted: 0, pages: 0 }
  counts.set(kind.id, count)
  return {
    ...kind,
    open: async () => {
      const opened = await kind.open()
      const archive = opened.archive
      const checked: MessageArchive = Object.create(archive)
      checked.insert = async (messages, options) => {
        const added = await archive.insert(messages, options)
        count.inserted += added
        return added
      }
      checked.query = async (query, options) => {
        const page = await archive.query(query, options)
        checkPage(query, page)
        count.pages += 1
        return page
      }
      return { ...opened, archive: checked }
    },
  }
}

describe('archive cases', () => {
  it('ingest and query cases per store, filled once, measured, summarised and closed', async () => {
    const log: string[] = []
    const counts = new Map<string, { inserted: number; pages: number }>()
    const kinds = await archiveStoreKinds((line) => log.push(line))
    // SQLite on both drivers and LevelDB always; PostgreSQL with a URL (CI) or a local install.
    expect(kinds.map((kind) => kind.id).slice(0, 3)).toEqual(['node-sqlite', 'better-sqlite3', 'level'])
    const cases = await archiveCases({
      size: SIZE,
      log: (line) => log.push(line),
      stores: kinds.map((kind) => observed(kind, counts)),
    })
    expect(cases.map((c) => c.id)).toEqual(
      kinds.flatMap((kind) => [`archive-ingest/${kind.id}`, `archive-query-24h/${kind.id}`]),
    )
    const results = await runBenchmarks({ cases, reference: noNative, rounds: 1, sliceMs: 30 })
    for (const result of results) {
      const sqlite = result.id.includes('sqlite')
      if (result.id.startsWith('archive-ingest/')) {
        expect(result.unit).toBe('ops/s')
        expect(result.target).toEqual(sqlite ? ARCHIVE_INGEST_TARGET : undefined)
      } else {
        expect(result.unit).toBe('ms')
        expect(result.target).toEqual(ARCHIVE_QUERY_P99_TARGET)
        expect(result.p90).toBeLessThanOrEqual(result.median)
      }
      expect(result.median).toBeGreaterThan(0)
    }
    for (const kind of kinds) {
      const count = counts.get(kind.id)!
      // the fill, then whole batches of ingest in the warm-up and the measured round
      expect(count.inserted).toBeGreaterThan(SIZE)
      expect(count.inserted % 1000).toBe(0)
      expect(count.pages).toBeGreaterThan(0)
      expect(log).toContain(`archive ${kind.id}: filling ${SIZE} envelopes...`)
      expect(log.some((line) => line.startsWith(`archive ${kind.id}: ingest `))).toBe(true)
      expect(log.filter((line) => line.startsWith(`archive ${kind.id}: range`)).length).toBe(
        QUERY_SHAPES.length,
      )
    }
  }, 60_000)

  it('--archive-size sets the size; left out, the environment or the default decides', () => {
    expect(parseBenchArgs(['--archive-size', '1000000']).archiveSize).toBe(1_000_000)
    expect(parseBenchArgs([]).archiveSize).toBeUndefined()
    expect(() => parseBenchArgs(['--archive-size', 'many'])).toThrow(/archive-size/)
  })

  it('rejects a bad PARLEY_BENCH_ARCHIVE_SIZE', async () => {
    const saved = process.env.PARLEY_BENCH_ARCHIVE_SIZE
    process.env.PARLEY_BENCH_ARCHIVE_SIZE = '10'
    try {
      await expect(archiveCases({ stores: [] })).rejects.toThrow(/PARLEY_BENCH_ARCHIVE_SIZE/)
    } finally {
      if (saved === undefined) delete process.env.PARLEY_BENCH_ARCHIVE_SIZE
      else process.env.PARLEY_BENCH_ARCHIVE_SIZE = saved
    }
  })
})
