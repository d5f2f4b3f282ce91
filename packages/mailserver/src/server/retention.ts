/**
 * The background cleaner: drops the oldest envelopes by age (status-go's `dbCleaner`), by count
 * or by size. `MessageArchive` deletes by time only, so count and size find the timestamp below
 * which enough of the oldest rows lie and delete up to it; rows sharing that second go too.
 */
import type { AbortOptions, MessageArchive } from '@parley/interfaces'
import { NS_PER_SECOND } from './archived.ts'
import type { MailserverSettings } from './options.ts'

const SCAN_PAGE = 1000
const MAX_SIZE_ROUNDS = 8

export async function prune(
  archive: MessageArchive,
  policy: MailserverSettings['retention'],
  nowSeconds: number,
  options?: AbortOptions,
): Promise<number> {
  let deleted = 0
  if (policy.maxAgeSeconds !== undefined) {
    deleted += await archive.deleteOlderThan(
      BigInt(nowSeconds - policy.maxAgeSeconds) * NS_PER_SECOND,
      options,
    )
  }
  if (policy.maxCount !== undefined) {
    const excess = (await archive.count({}, options)) - policy.maxCount
    if (excess > 0) deleted += await deleteOldest(archive, (_row, seen) => seen >= excess, options)
  }
  if (policy.maxBytes !== undefined) {
    // An adapter's size may count more than the data, so repeat until it is under the cap.
    for (let round = 0; round < MAX_SIZE_ROUNDS; round++) {
      const excess = (await archive.size(options)) - policy.maxBytes
      if (excess <= 0) break
      let bytes = 0
      const removed = await deleteOldest(
        archive,
        (row) => {
          bytes += row.data.length
          return bytes >= excess
        },
        options,
      )
      if (removed === 0) break
      deleted += removed
    }
  }
  return deleted
}

/** Walks the archive oldest first until `enough` says so, then deletes through that row's timestamp. */
async function deleteOldest(
  archive: MessageArchive,
  enough: (row: { data: Uint8Array }, seen: number) => boolean,
  options?: AbortOptions,
): Promise<number> {
  let seen = 0
  let newest: bigint | undefined
  let cursor: Awaited<ReturnType<MessageArchive['query']>>['cursor']
  do {
    const page = await archive.query(
      { direction: 'forward', limit: SCAN_PAGE, ...(cursor === undefined ? {} : { cursor }) },
      options,
    )
    for (const row of page.messages) {
      seen++
      newest = row.timestamp
      if (enough(row, seen)) return archive.deleteOlderThan(row.timestamp + 1n, options)
    }
    cursor = page.messages.length === 0 ? undefined : page.cursor
  } while (cursor !== undefined)
  // Not enough even with every row: all of them go.
  return newest === undefined ? 0 : archive.deleteOlderThan(newest + 1n, options)
}
