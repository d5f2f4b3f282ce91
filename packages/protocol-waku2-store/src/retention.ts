/**
 * The retention policy the background cleaner applies: drop messages older than `maxAgeSeconds`
 * (nwaku `time:<s>`), then the oldest beyond `maxMessages` (nwaku `capacity:<n>`). `MessageArchive`
 * deletes by time only, so the count rule finds the timestamp below which the excess lies and
 * deletes through it (messages sharing that timestamp go too).
 */
import type { AbortOptions, MessageArchive, MessageCursor } from '@parley/interfaces'

export interface RetentionPolicy {
  maxAgeSeconds?: number
  maxMessages?: number
}

const NS_PER_MS = 1_000_000n
const SCAN_PAGE = 1000

/** Applies `policy` once; resolves with the number of messages deleted. */
export async function applyRetention(
  archive: MessageArchive,
  policy: RetentionPolicy,
  nowMs: number,
  options?: AbortOptions,
): Promise<number> {
  let deleted = 0
  if (policy.maxAgeSeconds !== undefined) {
    const before = BigInt(Math.floor(nowMs - policy.maxAgeSeconds * 1000)) * NS_PER_MS
    deleted += await archive.deleteOlderThan(before, options)
  }
  if (policy.maxMessages !== undefined) {
    const excess = (await archive.count({}, options)) - policy.maxMessages
    if (excess > 0) {
      const newest = await timestampOfOldest(archive, excess, options)
      if (newest !== undefined) deleted += await archive.deleteOlderThan(newest + 1n, options)
    }
  }
  return deleted
}

/** The timestamp of the `nth` oldest message (1-based), walking the archive oldest first. */
async function timestampOfOldest(
  archive: MessageArchive,
  nth: number,
  options?: AbortOptions,
): Promise<bigint | undefined> {
  let seen = 0
  let cursor: MessageCursor | undefined
  let last: bigint | undefined
  do {
    const page = await archive.query(
      { direction: 'forward', limit: SCAN_PAGE, ...(cursor === undefined ? {} : { cursor }) },
      options,
    )
    for (const row of page.messages) {
      last = row.timestamp
      if (++seen === nth) return last
    }
    cursor = page.messages.length === 0 ? undefined : page.cursor
  } while (cursor !== undefined)
  return last
}
