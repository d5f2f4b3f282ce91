/**
 * The archive workload every store gets, deterministic so that stores compare: envelope `n` of an
 * archive of `size` (300-byte payloads, 100 four-byte topics, whole-second timestamps over 30 days,
 * as v1 envelopes have), and 100-envelope history pages over random 24 h ranges of five shapes.
 */
import type { ArchivedMessage, MessageArchive, MessageQuery } from '@parley/interfaces'

export interface ArchiveWorkload {
  /** envelopes archived before anything is timed (the issue states its targets at 1,000,000) */
  size: number
  /** envelopes per `insert` call */
  batchSize: number
  dataBytes: number
  /** distinct topics */
  topics: number
  /** days the archive spans: a 24 h range holds size / days envelopes */
  days: number
}

export const DEFAULT_WORKLOAD: ArchiveWorkload = {
  size: 20_000,
  batchSize: 1000,
  dataBytes: 300,
  topics: 100,
  days: 30,
}

const DAY_S = 86_400
const START_S = 1_700_000_000
const NS = 1_000_000_000n

/** Deterministic xorshift32: every store gets the same envelopes and the same queries. */
export function xorshift(seed: number): () => number {
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

export function topicName(index: number): string {
  return ((0x9e3779b1 * (index + 1)) >>> 0).toString(16).padStart(8, '0')
}

/**
 * Envelope `n`: a 32-byte hash that starts with `n` (so it is unique), a timestamp that grows with
 * `n` at `size / days` envelopes a day (past `size` it carries on: newer traffic), a random topic.
 */
export function archiveEnvelope(n: number, workload: ArchiveWorkload, random: () => number): ArchivedMessage {
  const hash = new Uint8Array(32)
  const view = new DataView(hash.buffer)
  for (let offset = 4; offset < 32; offset += 4) view.setUint32(offset, random())
  view.setUint32(0, n)
  const second = START_S + Math.floor((n / workload.size) * workload.days * DAY_S)
  const data = new Uint8Array(workload.dataBytes)
  const dataView = new DataView(data.buffer)
  for (let offset = 0; offset + 4 <= data.length; offset += 64) dataView.setUint32(offset, random())
  return { hash, timestamp: BigInt(second) * NS, topic: topicName(random() % workload.topics), data }
}

/** Envelopes `first` up to (not including) `end`. */
export function archiveBatch(
  first: number,
  end: number,
  workload: ArchiveWorkload,
  random: () => number,
): ArchivedMessage[] {
  const batch: ArchivedMessage[] = []
  for (let n = first; n < end; n++) batch.push(archiveEnvelope(n, workload, random))
  return batch
}

/** go-ethereum's TopicToBloom of 4-byte topics, OR-ed. */
export function topicsBloom(topics: readonly string[]): Uint8Array {
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

type Shape = (from: bigint, to: bigint, topic: () => string) => MessageQuery

/** The page shapes a history query takes, each limited to 100 envelopes over 24 h. */
export const QUERY_SHAPES: ReadonlyArray<{ name: string; make: Shape }> = [
  { name: 'range only', make: (from, to) => ({ from, to, limit: 100 }) },
  { name: 'range + 1 topic', make: (from, to, topic) => ({ from, to, limit: 100, topics: [topic()] }) },
  {
    name: 'range + 3 topics',
    make: (from, to, topic) => ({ from, to, limit: 100, topics: [topic(), topic(), topic()] }),
  },
  {
    name: 'range + bloom of 3 topics',
    make: (from, to, topic) => ({ from, to, limit: 100, bloom: topicsBloom([topic(), topic(), topic()]) }),
  },
  {
    name: 'range + 1 topic, backward',
    make: (from, to, topic) => ({ from, to, limit: 100, direction: 'backward', topics: [topic()] }),
  },
]

/** Query `index` of a run: shapes in turn, each over a random 24 h range inside the archive. */
export function historyQuery(
  index: number,
  workload: ArchiveWorkload,
  random: () => number,
): { shape: string; query: MessageQuery } {
  const shape = QUERY_SHAPES[index % QUERY_SHAPES.length] as (typeof QUERY_SHAPES)[number]
  const fromS = START_S + (random() % ((workload.days - 1) * DAY_S))
  const topic = () => topicName(random() % workload.topics)
  return { shape: shape.name, query: shape.make(BigInt(fromS) * NS, BigInt(fromS + DAY_S) * NS, topic) }
}

/** Archives envelopes 0 to `workload.size`, in batches; the rate is the whole fill's. */
export async function fillArchive(
  archive: MessageArchive,
  workload: ArchiveWorkload,
  random: () => number,
): Promise<{ envelopes: number; seconds: number }> {
  const started = performance.now()
  let envelopes = 0
  for (let first = 0; first < workload.size; first += workload.batchSize) {
    const end = Math.min(first + workload.batchSize, workload.size)
    envelopes += await archive.insert(archiveBatch(first, end, workload, random))
  }
  if (envelopes !== workload.size) throw new RangeError(`archived ${envelopes} of ${workload.size} envelopes`)
  return { envelopes, seconds: (performance.now() - started) / 1000 }
}
