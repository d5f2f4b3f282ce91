/**
 * Answers a v2beta4 HistoryQuery from the archive. The Index cursor nwaku sends carries the legacy
 * digest SHA-256(content_topic || payload) and the message timestamp as senderTime; to resume, the
 * messages stored at senderTime are searched for the one with that digest (or with that 14/MESSAGE
 * hash, which some clients put there).
 */
import {
  type AbortOptions,
  InvalidParametersError,
  type MessageArchive,
  type MessageCursor,
} from '@parley/interfaces'
import { fromArchived, legacyDigest } from './archived.ts'
import { MAX_PAGE_SIZE } from './constants.ts'
import {
  type HistoryIndex,
  type HistoryQuery,
  type HistoryResponse,
  PagingDirection,
} from './legacy-codec.ts'
import { BadStoreRequest, runPlan } from './query-plan.ts'

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((byte, index) => byte === b[index])

/** A successful response, or throws `BadStoreRequest` / the archive's error. */
export async function answerHistoryQuery(
  archive: MessageArchive,
  query: HistoryQuery,
  options?: AbortOptions,
): Promise<HistoryResponse> {
  const paging = query.pagingInfo
  // proto3 writes no field for BACKWARD (0), so an absent direction is BACKWARD.
  const direction = paging?.direction ?? PagingDirection.backward
  if (direction !== PagingDirection.backward && direction !== PagingDirection.forward)
    throw new BadStoreRequest(`unknown paging direction ${direction}`)
  const cursor =
    paging?.cursor === undefined ? undefined : await resolveIndex(archive, paging.cursor, options)
  const page = await runPlan(
    archive,
    {
      ...(query.pubsubTopic === undefined || query.pubsubTopic === ''
        ? {}
        : { pubsubTopic: query.pubsubTopic }),
      contentTopics: query.contentTopics,
      hashes: [],
      ...(query.startTime === undefined ? {} : { from: query.startTime }),
      ...(query.endTime === undefined ? {} : { to: query.endTime }),
      ...(cursor === undefined ? {} : { cursor }),
      forward: direction === PagingDirection.forward,
      ...(paging?.pageSize === undefined ? {} : { pageSize: paging.pageSize }),
    },
    options,
  )
  // The cursor is the page's last message in query order: the oldest one when paging backward.
  const cursorHash = page.cursor?.hash
  const last =
    cursorHash === undefined ? undefined : page.messages.find((m) => equalBytes(m.hash, cursorHash))
  return {
    messages: page.messages.map((stored) => stored.message),
    error: 0,
    ...(last === undefined
      ? {}
      : {
          pagingInfo: {
            cursor: {
              digest: legacyDigest(last.message),
              receiverTime: last.timestamp,
              senderTime: last.timestamp,
              pubsubTopic: last.pubsubTopic,
            },
          },
        }),
  }
}

async function resolveIndex(
  archive: MessageArchive,
  index: HistoryIndex,
  options?: AbortOptions,
): Promise<MessageCursor> {
  let messages: Awaited<ReturnType<MessageArchive['query']>>['messages']
  try {
    ;({ messages } = await archive.query(
      {
        from: index.senderTime,
        to: index.senderTime,
        ...(index.pubsubTopic === '' ? {} : { pubsubTopic: index.pubsubTopic }),
        limit: MAX_PAGE_SIZE,
      },
      options,
    ))
  } catch (error) {
    if (error instanceof InvalidParametersError) throw new BadStoreRequest(error.message, { cause: error })
    throw error
  }
  for (const row of messages) {
    const stored = fromArchived(row)
    if (stored === undefined) continue
    if (equalBytes(row.hash, index.digest) || equalBytes(legacyDigest(stored.message), index.digest))
      return { timestamp: row.timestamp, hash: row.hash }
  }
  throw new BadStoreRequest('the paging cursor names no stored message')
}
