/**
 * The part both protocol versions share: checking a query, turning it into a `MessageQuery` on the
 * archive (page size, direction, cursor), and reading the page back oldest first as nwaku sends it.
 */
import {
  type AbortOptions,
  InvalidParametersError,
  type MessageArchive,
  type MessageCursor,
  type MessageQuery,
} from '@parley/interfaces'
import { fromArchived, type StoredWakuMessage } from './archived.ts'
import { DEFAULT_PAGE_SIZE, MAX_CONTENT_TOPICS, MAX_PAGE_SIZE } from './constants.ts'

/** A query both protocols can express; `cursor` is already resolved to an archive position. */
export interface StorePlan {
  pubsubTopic?: string
  contentTopics: readonly string[]
  hashes: readonly Uint8Array[]
  /** inclusive, ns */
  from?: bigint
  /** inclusive, ns (nwaku's archive, whatever 13/STORE says) */
  to?: bigint
  cursor?: MessageCursor
  forward: boolean
  /** requested page size; 0 or absent means the default, more than the maximum is capped */
  pageSize?: bigint
}

export interface StorePage {
  /** oldest first, whatever the direction */
  messages: StoredWakuMessage[]
  /** the archive position of the last message in query order, when more may follow */
  cursor?: MessageCursor
}

/** A request that can never be answered: a 400 (v3) or INVALID_CURSOR (v2beta4). */
export class BadStoreRequest extends InvalidParametersError {}

export function pageSizeOf(requested: bigint | undefined): number {
  if (requested === undefined || requested === 0n) return DEFAULT_PAGE_SIZE
  return requested > BigInt(MAX_PAGE_SIZE) ? MAX_PAGE_SIZE : Number(requested)
}

export function checkPlan(plan: StorePlan): void {
  if (plan.contentTopics.length > MAX_CONTENT_TOPICS)
    throw new BadStoreRequest(`at most ${MAX_CONTENT_TOPICS} content topics per query`)
  if (plan.from !== undefined && plan.to !== undefined && plan.from > plan.to)
    throw new BadStoreRequest('the time range starts after it ends')
}

/** Runs one page of `plan` on the archive. Archive `InvalidParametersError`s become `BadStoreRequest`. */
export async function runPlan(
  archive: MessageArchive,
  plan: StorePlan,
  options?: AbortOptions,
): Promise<StorePage> {
  checkPlan(plan)
  const pageSize = pageSizeOf(plan.pageSize)
  // One row more than the page, as nwaku's archive asks its driver: a cursor then means more follow.
  const query: MessageQuery = {
    limit: pageSize + 1,
    direction: plan.forward ? 'forward' : 'backward',
    ...(plan.pubsubTopic === undefined ? {} : { pubsubTopic: plan.pubsubTopic }),
    ...(plan.contentTopics.length === 0 ? {} : { topics: plan.contentTopics }),
    ...(plan.hashes.length === 0 ? {} : { hashes: plan.hashes }),
    ...(plan.from === undefined ? {} : { from: plan.from }),
    ...(plan.to === undefined ? {} : { to: plan.to }),
    ...(plan.cursor === undefined ? {} : { cursor: plan.cursor }),
  }
  let rows: Awaited<ReturnType<MessageArchive['query']>>['messages']
  let archiveCursor: MessageCursor | undefined
  try {
    ;({ messages: rows, cursor: archiveCursor } = await archive.query(query, options))
  } catch (error) {
    if (error instanceof InvalidParametersError) throw new BadStoreRequest(error.message, { cause: error })
    throw error
  }
  const page = rows.slice(0, pageSize)
  const last = page.at(-1)
  // An archive whose own maximum page is below pageSize + 1 still says, with its cursor, that more follow.
  const more = rows.length > pageSize || (rows.length === pageSize && archiveCursor !== undefined)
  const messages = page.flatMap((row) => fromArchived(row) ?? [])
  if (!plan.forward) messages.reverse()
  return {
    messages,
    ...(more && last !== undefined ? { cursor: { timestamp: last.timestamp, hash: last.hash } } : {}),
  }
}

/** The archive position of the message stored under `hash`, if any. */
export async function positionOf(
  archive: MessageArchive,
  hash: Uint8Array,
  options?: AbortOptions,
): Promise<MessageCursor | undefined> {
  const { messages } = await archive.query({ hashes: [hash], limit: 1 }, options)
  const [row] = messages
  return row === undefined ? undefined : { timestamp: row.timestamp, hash: row.hash }
}
