/**
 * Archive cases (issue "storage"): ingest into, and 24 h history pages out of, an archive already
 * holding `--archive-size` envelopes (default 20,000 for a smoke run; the targets are stated at
 * 1,000,000), for every store. One archive per store is filled in `setup`, shared by its two cases:
 *
 * - `archive-ingest/<store>`: envelopes/s of `insert` in batches of 1000, new envelopes appended
 *   after the archive's newest (live traffic), insert calls only (generating them is not timed).
 * - `archive-query-24h/<store>`: each round's 99th percentile latency of 100-envelope pages over
 *   random 24 h ranges (at least 200 a round), the five query shapes in turn (p90 beside it in the report; per-shape p50
 *   and p99 over all rounds go to the log at the end).
 */

import { percentile } from '../stats.ts'
import { ARCHIVE_INGEST_TARGET, ARCHIVE_QUERY_P99_TARGET } from '../targets.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { type ArchiveStoreKind, archiveStoreKinds, type OpenedArchive } from './archive-stores.ts'
import {
  type ArchiveWorkload,
  archiveBatch,
  DEFAULT_WORKLOAD,
  fillArchive,
  historyQuery,
  xorshift,
} from './archive-workload.ts'

/** A p99 needs samples: a round runs at least this many queries, however long they take. */
const MIN_QUERIES_PER_ROUND = 200

export interface ArchiveCaseOptions {
  /** envelopes archived before timing; default `PARLEY_BENCH_ARCHIVE_SIZE`, else 20,000 */
  size?: number
  /** progress and summaries (default: stderr) */
  log?: (line: string) => void
  /** which stores (default: every one available here) */
  stores?: readonly ArchiveStoreKind[]
}

/** One store's archive, filled once and shared by its cases; closed when the last one is done. */
class SharedArchive {
  readonly kind: ArchiveStoreKind
  readonly workload: ArchiveWorkload
  readonly #log: (line: string) => void
  #opened: Promise<OpenedArchive> | undefined
  #users = 0
  /** the next envelope number ingest appends */
  next: number
  /** per query shape, every latency measured (ms), for the summary */
  readonly latencies = new Map<string, number[]>()
  /** ingest after the fill: envelopes, and this process's CPU time spent in `insert` (ms) */
  readonly ingested = { envelopes: 0, cpuMs: 0 }

  constructor(kind: ArchiveStoreKind, workload: ArchiveWorkload, log: (line: string) => void) {
    this.kind = kind
    this.workload = workload
    this.#log = log
    this.next = workload.size
  }

  acquire(): Promise<OpenedArchive> {
    this.#users += 1
    this.#opened ??= this.#open()
    return this.#opened
  }

  async release(): Promise<void> {
    this.#users -= 1
    if (this.#users > 0 || this.#opened === undefined) return
    const opened = this.#opened
    this.#opened = undefined
    this.#summarize()
    await (await opened).close()
  }

  async #open(): Promise<OpenedArchive> {
    const opened = await this.kind.open()
    try {
      this.#log(`archive ${this.kind.id}: filling ${this.workload.size} envelopes...`)
      const fill = await fillArchive(opened.archive, this.workload, xorshift(42))
      const rate = Math.round(fill.envelopes / fill.seconds)
      this.#log(`archive ${this.kind.id}: filled in ${fill.seconds.toFixed(1)} s (${rate} envelopes/s)`)
      if (opened.settle !== undefined) {
        const began = performance.now()
        await opened.settle()
        this.#log(`archive ${this.kind.id}: settled in ${((performance.now() - began) / 1000).toFixed(1)} s`)
      }
      return opened
    } catch (error) {
      await opened.close()
      throw error
    }
  }

  #summarize(): void {
    const { envelopes, cpuMs } = this.ingested
    if (envelopes > 0) {
      // On a shared machine the wall clock counts other processes' turns; CPU time does not (but it
      // misses work done outside this process: PostgreSQL's server).
      const rate = Math.round(envelopes / (cpuMs / 1000))
      this.#log(
        `archive ${this.kind.id}: ingest ${rate} envelopes per CPU-second of this process (${envelopes} envelopes)`,
      )
    }
    for (const [shape, times] of this.latencies) {
      const p50 = percentile(times, 0.5).toFixed(2)
      const p99 = percentile(times, 0.99).toFixed(2)
      this.#log(`archive ${this.kind.id}: ${shape}: p50 ${p50} ms, p99 ${p99} ms (${times.length} queries)`)
    }
  }
}

function ingestCase(shared: SharedArchive): BenchCase {
  let opened: OpenedArchive | undefined
  const random = xorshift(4242)
  const { workload } = shared
  return {
    id: `archive-ingest/${shared.kind.id}`,
    group: 'archive-ingest',
    unit: 'ops/s',
    provider: `${shared.kind.provider}; envelopes/s, batches of ${workload.batchSize}`,
    referenceNote: 'no native reference: the figure is the store against its target',
    ...(shared.kind.sqlite ? { target: ARCHIVE_INGEST_TARGET } : {}),
    setup: async () => {
      opened = await shared.acquire()
    },
    teardown: () => shared.release(),
    async runFor(ms): Promise<SliceResult> {
      if (opened === undefined) throw new RangeError('archive-ingest ran before its setup')
      let envelopes = 0
      let insertMs = 0
      const began = performance.now()
      do {
        const batch = archiveBatch(shared.next, shared.next + workload.batchSize, workload, random)
        shared.next += workload.batchSize
        const t0 = performance.now()
        const cpu0 = process.cpuUsage()
        envelopes += await opened.archive.insert(batch)
        insertMs += performance.now() - t0
        const cpu = process.cpuUsage(cpu0)
        shared.ingested.cpuMs += (cpu.user + cpu.system) / 1000
      } while (performance.now() - began < ms)
      shared.ingested.envelopes += envelopes
      return { value: envelopes / (insertMs / 1000), samples: envelopes }
    },
  }
}

function queryCase(shared: SharedArchive): BenchCase {
  let opened: OpenedArchive | undefined
  const random = xorshift(7)
  let index = 0
  return {
    id: `archive-query-24h/${shared.kind.id}`,
    group: 'archive-query-24h',
    unit: 'ms',
    provider: `${shared.kind.provider}; p99 of 100-envelope pages over 24 h`,
    referenceNote: 'no native reference: the figure is the store against its target',
    target: ARCHIVE_QUERY_P99_TARGET,
    setup: async () => {
      opened = await shared.acquire()
    },
    teardown: () => shared.release(),
    async runFor(ms): Promise<SliceResult> {
      if (opened === undefined) throw new RangeError('archive-query-24h ran before its setup')
      const times: number[] = []
      const began = performance.now()
      do {
        const { shape, query } = historyQuery(index++, shared.workload, random)
        const t0 = performance.now()
        await opened.archive.query(query)
        const elapsed = performance.now() - t0
        times.push(elapsed)
        const perShape = shared.latencies.get(shape)
        if (perShape === undefined) shared.latencies.set(shape, [elapsed])
        else perShape.push(elapsed)
      } while (performance.now() - began < ms || times.length < MIN_QUERIES_PER_ROUND)
      return { value: percentile(times, 0.99), p90: percentile(times, 0.9), samples: times.length }
    },
  }
}

function sizeFromEnvironment(): number {
  const text = process.env.PARLEY_BENCH_ARCHIVE_SIZE
  if (text === undefined || text === '') return DEFAULT_WORKLOAD.size
  const size = Number(text)
  if (!(Number.isInteger(size) && size >= DEFAULT_WORKLOAD.batchSize)) {
    throw new RangeError(
      `--archive-size (PARLEY_BENCH_ARCHIVE_SIZE) must be an integer ≥ 1000, got ${JSON.stringify(text)}`,
    )
  }
  return size
}

/** Two cases per store available here, ingest then query. */
export async function archiveCases(options: ArchiveCaseOptions = {}): Promise<BenchCase[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const workload = { ...DEFAULT_WORKLOAD, size: options.size ?? sizeFromEnvironment() }
  const stores = options.stores ?? (await archiveStoreKinds(log))
  return stores.flatMap((kind) => {
    const shared = new SharedArchive(kind, workload, log)
    return [ingestCase(shared), queryCase(shared)]
  })
}
