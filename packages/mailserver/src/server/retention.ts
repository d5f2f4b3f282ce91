/**
 * The background cleaner: drops the oldest envelopes by age (status-go's `dbCleaner`), by count
 * or by size. `MessageArchive` deletes by time only, so count and size find the timestamp below
 * which enough of the oldest rows lie and delete up to it; rows sharing that second go too.
 */
import type { AbortOptions, MessageArchive } from '@parley/interfaces'
import { NS_PER_SECOND } from './archived.ts'
import type { MailserverSettings } from './options.ts'

const SCAN_PAGE = 1000

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
    const excess = (await archive.size(options)) - policy.maxBytes
    let bytes = 0
    if (excess > 0) {
      deleted += await deleteOldest(
        archive,
        (row) => {
          bytes += row.data.length
          return bytes >= excess
        },
        options,
      )
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
  let cursor: Awaited<ReturnType<MessageArchive['query']>>['cursor']
  do {
    const page = await archive.query(
      { direction: 'forward', limit: SCAN_PAGE, ...(cursor === undefined ? {} : { cursor }) },
      options,
    )
    for (const row of page.messages) {
      seen++
      if (enough(row, seen)) return archive.deleteOlderThan(row.timestamp + 1n, options)
    }
    cursor = page.messages.length === 0 ? undefined : page.cursor
  } while (cursor !== undefined)
  return 0
}
