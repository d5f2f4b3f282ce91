// Shared by full.test.ts and the child process it runs (full-writer.ts, plain Node: no vitest here).
import type { ArchivedMessage, MessageArchive } from '@parley/interfaces'

/**
 * How the child runs out of space, unprivileged and without a mount:
 * - `file-size-limit`: under `ulimit -f LIMIT_KIB`, LevelDB's log grows past the limit: EFBIG.
 * - `dev-full`: the next log LevelDB creates (when its 16 MiB write buffer fills) is a symlink to
 *   `/dev/full`, where every write(2) fails with ENOSPC, as on a full disk.
 */
export type Exhaustion = 'file-size-limit' | 'dev-full'

/** The child's file-size limit (`ulimit -f`, KiB): LevelDB's log reaches it long before 16 MiB. */
export const LIMIT_KIB = 1024
/** Envelopes per insert: 16 × 4 kB, so the limit falls in the 16th batch, /dev/full near the 260th. */
export const BATCH_SIZE = 16
/** A writer that wrote this many batches (64 MB) without a failure has not met the limit at all. */
export const MAX_BATCHES = 1000
const DATA_LENGTH = 4000
const SECOND = 1_000_000_000n

/** What the writer prints, one JSON object per line. */
export type WriterReport =
  | { event: 'committed'; batch: number }
  | { event: 'failed'; batch: number; insert: FailureReport; keyValue: FailureReport }
  | { event: 'read'; total: number; whole: number[]; partial: number[] }
  | { event: 'metric'; fullWrites: number }
  | { event: 'never-failed' }

export interface FailureReport {
  name: string
  code: string | undefined
  cause: string | undefined
}

/** What a write's rejection was; `undefined` (the write succeeded) reports as name `none`. */
export function failureReport(error: unknown): FailureReport {
  if (error === undefined) return { name: 'none', code: undefined, cause: undefined }
  const { name, code, cause } = error as { name: string; code?: string; cause?: { message?: string } }
  return { name, code, cause: cause?.message }
}

export const topicOf = (batch: number): string => `0000${batch.toString(16).padStart(4, '0')}`

/** Envelope `index` of batch `batch`: v1 (whole seconds, 4-byte topic), data unique to it. */
export function envelope(batch: number, index: number): ArchivedMessage {
  const hash = new Uint8Array(32)
  new DataView(hash.buffer).setUint32(0, batch)
  new DataView(hash.buffer).setUint32(4, index)
  const data = new Uint8Array(DATA_LENGTH)
  // A different byte sequence per envelope (and not all one byte: LevelDB compresses with Snappy).
  for (let offset = 0; offset < DATA_LENGTH; offset++) data[offset] = (batch * 31 + index * 7 + offset) & 0xff
  return { hash, timestamp: (1_700_000_000n + BigInt(batch)) * SECOND, topic: topicOf(batch), data }
}

export const batchOf = (batch: number): ArchivedMessage[] =>
  Array.from({ length: BATCH_SIZE }, (_, index) => envelope(batch, index))

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index])
}

/**
 * Reads batches `0..last` back by topic: `whole` lists those whose every envelope is stored with
 * exactly its bytes (and nothing else on the topic), `partial` those with some but not all of it.
 */
export async function readBatches(
  archive: MessageArchive,
  last: number,
): Promise<{ total: number; whole: number[]; partial: number[] }> {
  const whole: number[] = []
  const partial: number[] = []
  for (let batch = 0; batch <= last; batch++) {
    const { messages } = await archive.query({ topics: [topicOf(batch)], limit: BATCH_SIZE + 1 })
    const expected = batchOf(batch)
    const intact = messages.filter((stored) =>
      expected.some(
        (wanted) =>
          sameBytes(stored.hash, wanted.hash) &&
          stored.timestamp === wanted.timestamp &&
          sameBytes(stored.data, wanted.data),
      ),
    )
    if (intact.length === BATCH_SIZE && messages.length === BATCH_SIZE) whole.push(batch)
    else if (messages.length > 0) partial.push(batch)
  }
  return { total: await archive.count(), whole, partial }
}
