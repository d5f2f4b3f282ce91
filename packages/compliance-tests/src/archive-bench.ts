/**
 * The archive benchmark every store's `bench/archive-bench.ts` runs: ingest N envelopes in batches,
 * then time 100-envelope history pages over random 24 h ranges. Not exported from the package
 * index (it must not pull in vitest); bench scripts import this file directly.
 */
import { loadavg } from 'node:os'
import type { ArchivedMessage, MessageArchive, MessageQuery } from '@parley/interfaces'

export interface ArchiveBenchOptions {
  /** envelopes to archive (the targets are stated at 1,000,000) */
  envelopes: number
  /** envelopes per `insert` call */
  batchSize: number
  /** timed queries per query shape */
  queries: number
  /** payload bytes per envelope */
  dataBytes: number
  /** distinct 4-byte topics */
  topics: number
  /** days the archived envelopes span (a 24 h range then holds envelopes / days of them) */
  days: number
}

export const DEFAULT_BENCH: ArchiveBenchOptions = {
  envelopes: 1_000_000,
  batchSize: 1000,
  queries: 300,
  dataBytes: 300,
  topics: 100,
  days: 30,
}

export interface QueryResult {
  shape: string
  p50Ms: number
  p99Ms: number
  meanPage: number
}

export interface ArchiveBenchResult {
  /** the machine's 1-minute load average when ingest began, when queries began, and at the end */
  load: number[]
  envelopes: number
  ingestSeconds: number
  envelopesPerSecond: number
  queries: QueryResult[]
  sizeBytes: number
}

const DAY_S = 86_400
const START_S = 1_700_000_000

/** Deterministic xorshift32, so every store gets the same envelopes and queries. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state
  }
}

function topicName(index: number): string {
  return ((0x9e3779b1 * (index + 1)) >>> 0).toString(16).padStart(8, '0')
}

/** Envelope `n` of the run: a 32-byte hash, a whole-second timestamp in ns (as v1 envelopes have). */
export function benchEnvelope(
  n: number,
  options: ArchiveBenchOptions,
  random: () => number,
): ArchivedMessage {
  const hash = new Uint8Array(32)
  const view = new DataView(hash.buffer)
  for (let offset = 0; offset < 32; offset += 4) view.setUint32(offset, random())
  view.setUint32(0, n)
  const second = START_S + Math.floor((n / options.envelopes) * options.days * DAY_S)
  const data = new Uint8Array(options.dataBytes)
  for (let offset = 0; offset + 4 <= data.length; offset += 64)
    new DataView(data.buffer).setUint32(offset, random())
  return {
    hash,
    timestamp: BigInt(second) * 1_000_000_000n,
    topic: topicName(random() % options.topics),
    data,
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0
}

function bloomOf(topics: readonly string[]): Uint8Array {
  const bloom = new Uint8Array(64)
  for (const topic of topics) {
    const bytes = Uint8Array.from({ length: 4 }, (_, i) => Number.parseInt(topic.slice(2 * i, 2 * i + 2), 16))
    for (let i = 0; i < 3; i++) {
      const bit = (bytes[i] as number) + (((bytes[3] as number) >> i) & 1) * 256
      bloom[bit >> 3] = (bloom[bit >> 3] as number) | (1 << (bit & 7))
    }
  }
  return bloom
}

/** Warm-up queries per shape before timing: first-touch page faults are not what a node sees. */
const WARM_UP = 30

/**
 * Fills `archive` (started, empty) and measures it; `log` gets progress lines. `settle` runs
 * between ingest and queries (LevelDB compacts there, so queries do not race its compaction).
 */
export async function runArchiveBench(
  archive: MessageArchive,
  options: ArchiveBenchOptions = DEFAULT_BENCH,
  log: (line: string) => void = console.log,
  settle?: () => Promise<void>,
): Promise<ArchiveBenchResult> {
  const load = [loadavg()[0] ?? 0]
  const random = generator(42)
  const started = performance.now()
  let inserted = 0
  for (let first = 0; first < options.envelopes; first += options.batchSize) {
    const batch: ArchivedMessage[] = []
    for (let n = first; n < Math.min(first + options.batchSize, options.envelopes); n++)
      batch.push(benchEnvelope(n, options, random))
    inserted += await archive.insert(batch)
    if ((first / options.batchSize) % 100 === 0) {
      const seconds = (performance.now() - started) / 1000
      log(`  ingested ${inserted} in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds)}/s)`)
    }
  }
  const ingestSeconds = (performance.now() - started) / 1000
  if (inserted !== options.envelopes) throw new Error(`inserted ${inserted} of ${options.envelopes}`)
  if (settle !== undefined) {
    const t0 = performance.now()
    await settle()
    log(`  settled in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
  load.push(loadavg()[0] ?? 0)

  const spanS = options.days * DAY_S
  const shapes: Record<string, (from: bigint, to: bigint, pick: () => number) => MessageQuery> = {
    'range only': (from, to) => ({ from, to, limit: 100 }),
    'range + 1 topic': (from, to, pick) => ({
      from,
      to,
      limit: 100,
      topics: [topicName(pick() % options.topics)],
    }),
    'range + 3 topics': (from, to, pick) => ({
      from,
      to,
      limit: 100,
      topics: [0, 1, 2].map(() => topicName(pick() % options.topics)),
    }),
    'range + bloom of 3 topics': (from, to, pick) => ({
      from,
      to,
      limit: 100,
      bloom: bloomOf([0, 1, 2].map(() => topicName(pick() % options.topics))),
    }),
    'range + 1 topic, backward': (from, to, pick) => ({
      from,
      to,
      limit: 100,
      direction: 'backward',
      topics: [topicName(pick() % options.topics)],
    }),
  }
  const queries: QueryResult[] = []
  for (const [shape, make] of Object.entries(shapes)) {
    const pick = generator(7)
    const times: number[] = []
    let returned = 0
    for (let run = 0; run < WARM_UP; run++) {
      const fromS = START_S + (pick() % (spanS - DAY_S))
      await archive.query(make(BigInt(fromS) * 1_000_000_000n, BigInt(fromS + DAY_S) * 1_000_000_000n, pick))
    }
    for (let run = 0; run < options.queries; run++) {
      const fromS = START_S + (pick() % (spanS - DAY_S))
      const query = make(BigInt(fromS) * 1_000_000_000n, BigInt(fromS + DAY_S) * 1_000_000_000n, pick)
      const t0 = performance.now()
      const page = await archive.query(query)
      times.push(performance.now() - t0)
      returned += page.messages.length
    }
    times.sort((a, b) => a - b)
    queries.push({
      shape,
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      meanPage: returned / options.queries,
    })
  }
  load.push(loadavg()[0] ?? 0)
  return {
    load,
    envelopes: inserted,
    ingestSeconds,
    envelopesPerSecond: inserted / ingestSeconds,
    queries,
    sizeBytes: await archive.size(),
  }
}

/** The options from `--envelopes N --batch N --queries N` style arguments. */
export function benchOptions(argv: readonly string[]): ArchiveBenchOptions {
  const options = { ...DEFAULT_BENCH }
  const names: Record<string, keyof ArchiveBenchOptions> = {
    '--envelopes': 'envelopes',
    '--batch': 'batchSize',
    '--queries': 'queries',
    '--data-bytes': 'dataBytes',
    '--topics': 'topics',
    '--days': 'days',
  }
  for (let index = 0; index < argv.length; index += 2) {
    const name = names[argv[index] ?? '']
    const value = Number(argv[index + 1])
    if (name === undefined || !(Number.isInteger(value) && value > 0))
      throw new Error(
        `usage: [--envelopes N] [--batch N] [--queries N] [--data-bytes N] [--topics N] [--days N]`,
      )
    options[name] = value
  }
  return options
}

export function printBenchResult(store: string, result: ArchiveBenchResult): void {
  console.log(`\n${store}: ${result.envelopes} envelopes`)
  console.log(
    `  ingest: ${Math.round(result.envelopesPerSecond)} envelopes/s (${result.ingestSeconds.toFixed(1)} s)`,
  )
  console.log(`  size(): ${(result.sizeBytes / 1e6).toFixed(1)} MB`)
  console.log(
    `  load average (ingest, queries, end): ${result.load.map((value) => value.toFixed(1)).join(', ')}`,
  )
  for (const query of result.queries) {
    console.log(
      `  query ${query.shape.padEnd(28)} p50 ${query.p50Ms.toFixed(2)} ms  p99 ${query.p99Ms.toFixed(2)} ms  (mean page ${query.meanPage.toFixed(0)})`,
    )
  }
}
