/** Answers a decoded store v3 request from the archive (nwaku waku_store + waku_archive semantics). */
import type { AbortOptions, MessageArchive } from '@parley/interfaces'
import { HASH_LENGTH, StoreStatus } from './constants.ts'
import { BadStoreRequest, positionOf, runPlan } from './query-plan.ts'
import type { StoreQueryRequest, StoreQueryResponse } from './v3-codec.ts'

/**
 * A 200 response with the page, or throws `BadStoreRequest` (for a 400) or whatever the archive
 * threw (the caller answers 503).
 */
export async function answerStoreQuery(
  archive: MessageArchive,
  request: StoreQueryRequest,
  options?: AbortOptions,
): Promise<StoreQueryResponse & { statusCode: number }> {
  const { pubsubTopic, contentTopics, messageHashes, paginationCursor } = request
  if (contentTopics.length > 0 && pubsubTopic === undefined)
    throw new BadStoreRequest('content topics need a pubsub topic')
  if (messageHashes.length > 0 && (pubsubTopic !== undefined || contentTopics.length > 0))
    throw new BadStoreRequest('a message hash lookup cannot be combined with a content filter')
  for (const hash of messageHashes)
    if (hash.length !== HASH_LENGTH) throw new BadStoreRequest(`message hashes are ${HASH_LENGTH} bytes`)
  let cursor: Awaited<ReturnType<typeof positionOf>>
  if (paginationCursor !== undefined) {
    if (paginationCursor.length !== HASH_LENGTH)
      throw new BadStoreRequest(`the pagination cursor is a ${HASH_LENGTH}-byte message hash`)
    if (paginationCursor.every((byte) => byte === 0)) throw new BadStoreRequest('all zeroes cursor hash')
    cursor = await positionOf(archive, paginationCursor, options)
    if (cursor === undefined) throw new BadStoreRequest('the pagination cursor names no stored message')
  }
  const page = await runPlan(
    archive,
    {
      ...(pubsubTopic === undefined ? {} : { pubsubTopic }),
      contentTopics,
      hashes: messageHashes,
      ...(request.timeStart === undefined ? {} : { from: request.timeStart }),
      ...(request.timeEnd === undefined ? {} : { to: request.timeEnd }),
      ...(cursor === undefined ? {} : { cursor }),
      forward: request.paginationForward,
      ...(request.paginationLimit === undefined ? {} : { pageSize: request.paginationLimit }),
    },
    options,
  )
  return {
    requestId: request.requestId,
    statusCode: StoreStatus.ok,
    statusDesc: 'OK',
    messages: page.messages.map((stored) =>
      request.includeData
        ? { messageHash: stored.hash, message: stored.message, pubsubTopic: stored.pubsubTopic }
        : { messageHash: stored.hash },
    ),
    ...(page.cursor === undefined ? {} : { paginationCursor: page.cursor.hash }),
  }
}
