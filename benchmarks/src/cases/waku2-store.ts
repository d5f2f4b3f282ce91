/**
 * The Waku v2 store's query path (issue "Waku v2": store query p99 ≤ 50 ms at 1 M messages): a
 * 13/WAKU2-STORE v3 request decoded, answered by `answerStoreQuery` from a SQLite archive (node:sqlite,
 * WAL, a file) holding `size` messages, and the response encoded — what the store service does per
 * request, minus the libp2p stream. The archive is filled in `setup` with 300-byte WakuMessages
 * over 30 days on one pubsub topic and 10 content topics, stored as the relay feed stores them
 * (`toArchived`). Queries ask for 100 messages with their data over a random 24 h range, one or
 * three content topics, newest first; every other query continues the previous one from its
 * cursor. The per-round figure is the p99 (p90 beside it); p50/p99 over the run go to the log.
 *
 * Size: `PARLEY_BENCH_WAKU2_STORE_SIZE`, default 20,000 for a smoke run; the target is stated at
 * 1,000,000 (docs/BENCHMARKS.md records that run).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NotStartedError } from '@parley/interfaces'
import { encodeWakuMessage, type WakuMessage } from '@parley/protocol-waku2'
import {
  answerStoreQuery,
  decodeStoreQueryRequest,
  encodeStoreQueryRequest,
  encodeStoreQueryResponse,
  type StoreQueryRequest,
  toArchived,
} from '@parley/protocol-waku2-store'
import { SqliteStore } from '@parley/store-sqlite'
import { percentile } from '../stats.ts'
import { WAKU2_STORE_P99_TARGET } from '../targets.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { consume, fillPattern } from './inputs.ts'
import { WAKU2_PUBSUB_TOPIC } from './waku2-hash.ts'

const DAY_NS = 86_400n * 1_000_000_000n
const DAYS = 30n
const START_NS = 1_700_000_000n * 1_000_000_000n
const TOPICS = Array.from({ length: 10 }, (_, i) => `/waku/1/0x${(0xf8946a00 + i).toString(16)}/rfc26`)
const BATCH = 1000
const PAGE = 100n
const DEFAULT_SIZE = 20_000

/** Deterministic uniform [0, 1) (xorshift32). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

/** Message `n` of an archive of `size`: evenly spread over 30 days, topics in turn. */
export function storedMessage(n: number, size: number): WakuMessage {
  const payload = fillPattern(300, 7)
  new DataView(payload.buffer).setUint32(0, n)
  return {
    payload,
    contentTopic: TOPICS[n % TOPICS.length]!,
    version: 1,
    timestamp: START_NS + (BigInt(n) * DAYS * DAY_NS) / BigInt(size),
  }
}

export interface FilledArchive {
  store: SqliteStore
  size: number
  close(): Promise<void>
}

/** A SQLite archive in a temporary directory holding `size` messages. */
export async function fillWaku2Archive(size: number, log: (line: string) => void): Promise<FilledArchive> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-waku2-store-'))
  const store = new SqliteStore({ path: join(dir, 'archive.db') })
  const close = async () => {
    await store.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await store.start()
    const began = performance.now()
    for (let first = 0; first < size; first += BATCH) {
      const rows = []
      for (let n = first; n < Math.min(first + BATCH, size); n++) {
        const message = storedMessage(n, size)
        rows.push(toArchived(WAKU2_PUBSUB_TOPIC, encodeWakuMessage(message), message, message.timestamp!))
      }
      await store.insert(rows)
    }
    log(`waku2-store: filled ${size} messages in ${((performance.now() - began) / 1000).toFixed(1)} s`)
    return { store, size, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** Query `index`: a 24 h range and 1 or 3 content topics, newest first, 100 with data. */
export function storeRequest(index: number, next: () => number): StoreQueryRequest {
  const day = BigInt(Math.floor(next() * Number(DAYS - 1n) * 1000)) * (DAY_NS / 1000n)
  const first = Math.floor(next() * TOPICS.length)
  const topics = index % 4 < 2 ? [TOPICS[first]!] : [0, 3, 7].map((k) => TOPICS[(first + k) % TOPICS.length]!)
  return {
    requestId: `bench-${index}`,
    includeData: true,
    pubsubTopic: WAKU2_PUBSUB_TOPIC,
    contentTopics: topics,
    timeStart: START_NS + day,
    timeEnd: START_NS + day + DAY_NS,
    messageHashes: [],
    paginationForward: false,
    paginationLimit: PAGE,
  }
}

function sizeFromEnvironment(): number {
  const text = process.env.PARLEY_BENCH_WAKU2_STORE_SIZE
  if (text === undefined || text === '') return DEFAULT_SIZE
  const size = Number(text)
  if (!(Number.isInteger(size) && size >= BATCH))
    throw new RangeError(
      `PARLEY_BENCH_WAKU2_STORE_SIZE must be an integer ≥ ${BATCH}, got ${JSON.stringify(text)}`,
    )
  return size
}

export interface Waku2StoreCaseOptions {
  size?: number
  log?: (line: string) => void
}

export function waku2StoreCase(options: Waku2StoreCaseOptions = {}): BenchCase {
  const size = options.size ?? sizeFromEnvironment()
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const next = random(11)
  const all: number[] = []
  let archive: FilledArchive | undefined
  let index = 0
  let previous: StoreQueryRequest | undefined
  return {
    id: 'waku2-store-query',
    group: 'waku2-store-query',
    unit: 'ms',
    provider: `store v3 decode → answerStoreQuery → encode, SQLite (node:sqlite, a file) of ${size} messages; p99 per round`,
    referenceNote: 'no reference: no other store runs in this process; the figure is against its target',
    target: WAKU2_STORE_P99_TARGET,
    async setup() {
      archive = await fillWaku2Archive(size, log)
    },
    async teardown() {
      await archive?.close()
      if (all.length > 0) {
        const p50 = percentile(all, 0.5).toFixed(2)
        log(
          `waku2-store-query (${size} messages): p50 ${p50} ms, p99 ${percentile(all, 0.99).toFixed(2)} ms (${all.length} queries)`,
        )
      }
    },
    async runFor(ms): Promise<SliceResult> {
      if (archive === undefined) throw new NotStartedError('waku2-store-query run before setup')
      const times: number[] = []
      const began = performance.now()
      do {
        // every other query asks for the next page of the one before, when there is one
        const request: StoreQueryRequest =
          index % 2 === 1 && previous?.paginationCursor !== undefined
            ? { ...previous, requestId: `bench-${index}` }
            : storeRequest(index, next)
        const wire = encodeStoreQueryRequest(request)
        const t0 = performance.now()
        const response = await answerStoreQuery(archive.store, decodeStoreQueryRequest(wire))
        consume(encodeStoreQueryResponse(response))
        times.push(performance.now() - t0)
        const { paginationCursor } = response
        previous =
          paginationCursor === undefined
            ? { ...request, paginationCursor: undefined }
            : { ...request, paginationCursor }
        index++
      } while (performance.now() - began < ms)
      all.push(...times)
      return { value: percentile(times, 0.99), p90: percentile(times, 0.9), samples: times.length }
    },
  }
}
