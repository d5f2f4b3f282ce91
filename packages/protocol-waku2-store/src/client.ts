/**
 * The store client: `storeQuery` (v3) and `historyQuery` (v2beta4) send one request per page and
 * follow the server's cursor, yielding pages until the server says there are no more.
 */
import { type AbortOptions, DecodeError, InvalidParametersError } from '@parley/interfaces'
import type { WakuMessage } from '@parley/protocol-waku2'
import { HistoryError, LEGACY_STORE_CODEC, STORE_CODEC, StoreStatus } from './constants.ts'
import { StoreQueryError } from './errors.ts'
import {
  decodeHistoryRpc,
  encodeHistoryRpc,
  type HistoryIndex,
  type HistoryQuery,
  PagingDirection,
} from './legacy-codec.ts'
import { exchange, type StoreClientHost } from './stream.ts'
import {
  decodeStoreQueryResponse,
  encodeStoreQueryRequest,
  type StoreQueryRequest,
  type StoreQueryResponse,
  type WakuMessageKeyValue,
} from './v3-codec.ts'

export interface StoreQuery {
  /** with `contentTopics`: the content filter (both or neither) */
  pubsubTopic?: string
  contentTopics?: readonly string[]
  /** ns; the server treats both ends as inclusive (nwaku) */
  timeStart?: bigint
  timeEnd?: bigint
  /** look these messages up; not combinable with a content filter */
  messageHashes?: readonly Uint8Array[]
  /** start after (forward) or before (backward) this message hash */
  cursor?: Uint8Array
  /** oldest first; default false: pages run newest first (each page is still oldest first) */
  forward?: boolean
  /** messages per page: default 20, servers cap it at 100 */
  pageSize?: number
  /** default true; false asks for hashes only */
  includeData?: boolean
}

export interface StoreQueryPage {
  /** oldest first */
  messages: WakuMessageKeyValue[]
  /** the cursor of the next page, absent on the last */
  cursor?: Uint8Array
}

/**
 * Queries a store v3 server, following cursors: one page per iteration. `peer` is a multiaddr ending
 * in `/p2p/<id>` or a known peer id. Rejects with `StoreQueryError` (`statusCode` 400, 429, 503, …,
 * or 300 for a response that cannot be read), `AbortError` when `signal` aborts.
 */
export async function* storeQuery(
  host: StoreClientHost,
  peer: string,
  query: StoreQuery,
  options: AbortOptions = {},
): AsyncGenerator<StoreQueryPage> {
  const request = v3Request(query)
  while (true) {
    request.requestId = crypto.randomUUID()
    const response = readV3(
      await exchange(host, peer, STORE_CODEC, encodeStoreQueryRequest(request), options),
      request.requestId,
    )
    const cursor = response.paginationCursor
    yield { messages: response.messages, ...(cursor === undefined ? {} : { cursor }) }
    if (cursor === undefined || response.messages.length === 0) return
    request.paginationCursor = cursor
  }
}

/** The wire request for `query` (its `requestId` still to be set); throws `InvalidParametersError`. */
export function v3Request(query: StoreQuery): StoreQueryRequest {
  const { pageSize } = query
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0))
    throw new InvalidParametersError(`pageSize must be a positive integer, got ${pageSize}`)
  return {
    requestId: '',
    includeData: query.includeData ?? true,
    ...(query.pubsubTopic === undefined ? {} : { pubsubTopic: query.pubsubTopic }),
    contentTopics: [...(query.contentTopics ?? [])],
    ...(query.timeStart === undefined ? {} : { timeStart: query.timeStart }),
    ...(query.timeEnd === undefined ? {} : { timeEnd: query.timeEnd }),
    messageHashes: [...(query.messageHashes ?? [])],
    ...(query.cursor === undefined ? {} : { paginationCursor: query.cursor }),
    paginationForward: query.forward ?? false,
    ...(pageSize === undefined ? {} : { paginationLimit: BigInt(pageSize) }),
  }
}

function readV3(bytes: Uint8Array, requestId: string): StoreQueryResponse {
  let response: StoreQueryResponse
  try {
    response = decodeStoreQueryResponse(bytes)
  } catch (cause) {
    throw new StoreQueryError('undecodable store response', StoreStatus.badResponse, { cause })
  }
  const status = response.statusCode ?? 0
  if (status !== StoreStatus.ok)
    throw new StoreQueryError(`store query failed: ${status} ${response.statusDesc ?? ''}`.trim(), status)
  if (response.requestId !== requestId)
    throw new StoreQueryError('store response answers another request', StoreStatus.badResponse)
  return response
}

/** A v2beta4 query; `cursor` continues from an Index a previous page returned. */
export interface HistoryQueryInit {
  pubsubTopic?: string
  contentTopics?: readonly string[]
  startTime?: bigint
  endTime?: bigint
  forward?: boolean
  pageSize?: number
  cursor?: HistoryIndex
}

export interface HistoryPage {
  messages: WakuMessage[]
  cursor?: HistoryIndex
}

/**
 * Queries a legacy `/vac/waku/store/2.0.0-beta4` server, following its Index cursors. Rejects with
 * `StoreQueryError` whose `statusCode` is 400 (INVALID_CURSOR), 429 or 503, or 300 for a response
 * that cannot be read; `AbortError` when `signal` aborts.
 */
export async function* historyQuery(
  host: StoreClientHost,
  peer: string,
  init: HistoryQueryInit,
  options: AbortOptions = {},
): AsyncGenerator<HistoryPage> {
  const query: HistoryQuery = {
    ...(init.pubsubTopic === undefined ? {} : { pubsubTopic: init.pubsubTopic }),
    contentTopics: [...(init.contentTopics ?? [])],
    ...(init.startTime === undefined ? {} : { startTime: init.startTime }),
    ...(init.endTime === undefined ? {} : { endTime: init.endTime }),
  }
  let cursor = init.cursor
  while (true) {
    query.pagingInfo = {
      direction: init.forward === true ? PagingDirection.forward : PagingDirection.backward,
      ...(init.pageSize === undefined ? {} : { pageSize: BigInt(init.pageSize) }),
      ...(cursor === undefined ? {} : { cursor }),
    }
    const requestId = crypto.randomUUID()
    const bytes = await exchange(
      host,
      peer,
      LEGACY_STORE_CODEC,
      encodeHistoryRpc({ requestId, query }),
      options,
    )
    let rpc: ReturnType<typeof decodeHistoryRpc>
    try {
      rpc = decodeHistoryRpc(bytes)
    } catch (cause) {
      if (!(cause instanceof DecodeError)) throw cause
      throw new StoreQueryError('undecodable history response', StoreStatus.badResponse, { cause })
    }
    const response = rpc.response
    if (response === undefined || rpc.requestId !== requestId)
      throw new StoreQueryError('history response missing or for another request', StoreStatus.badResponse)
    if (response.error !== HistoryError.none)
      throw new StoreQueryError(
        `history query failed: error ${response.error}`,
        response.error === HistoryError.invalidCursor ? StoreStatus.badRequest : response.error,
      )
    cursor = response.pagingInfo?.cursor
    yield { messages: response.messages, ...(cursor === undefined ? {} : { cursor }) }
    if (cursor === undefined || response.messages.length === 0) return
  }
}
