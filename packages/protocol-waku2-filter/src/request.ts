/** One filter-subscribe exchange from the client side: a request, its answer, and the checks on it. */
import { randomUUID } from 'node:crypto'
import { AbortError, DecodeError } from '@parley/interfaces'
import { openStream, requestResponse, type ServiceHost } from '@parley/protocol-waku2'
import { FILTER_SUBSCRIBE_CODEC, FilterStatus } from './constants.ts'
import { FilterRequestError } from './errors.ts'
import type { FilterClientMetrics } from './metrics.ts'
import {
  decodeFilterSubscribeResponse,
  encodeFilterSubscribeRequest,
  type FilterSubscribeRequest,
} from './rpc.ts'

const TYPE_LABELS = ['ping', 'subscribe', 'unsubscribe', 'unsubscribe_all']
/** Responses are a request id, a code and a short text. */
const MAX_RESPONSE_SIZE = 64 * 1024

export interface FilterRequestOptions {
  /** bounds the whole exchange */
  signal: AbortSignal
  /** the caller's own signal: its abort is reported as `AbortError` */
  caller: AbortSignal | undefined
  metrics: FilterClientMetrics
}

/**
 * Sends `fields` with a fresh request id to `peer` (a multiaddr or peer id) and resolves on a 2xx answer. Throws
 * `FilterRequestError` for any other status, `DecodeError` for an answer to another request.
 */
export async function sendFilterRequest(
  host: ServiceHost,
  peer: string,
  fields: Omit<FilterSubscribeRequest, 'requestId'>,
  { signal, caller, metrics }: FilterRequestOptions,
): Promise<void> {
  const request: FilterSubscribeRequest = { requestId: randomUUID(), ...fields }
  let statusCode = 0
  try {
    const stream = await openStream(host, peer, FILTER_SUBSCRIBE_CODEC, { signal })
    const answer = await requestResponse(stream, encodeFilterSubscribeRequest(request), {
      signal,
      maxResponseSize: MAX_RESPONSE_SIZE,
    })
    const response = decodeFilterSubscribeResponse(answer)
    statusCode = response.statusCode
    // A rate-limited request is refused unread, so its answer cannot carry our id.
    if (response.requestId !== request.requestId && statusCode !== FilterStatus.TOO_MANY_REQUESTS)
      throw new DecodeError(
        `filter response for request ${response.requestId}, expected ${request.requestId}`,
      )
    if (statusCode < 200 || statusCode >= 300) throw new FilterRequestError(statusCode, response.statusDesc)
  } catch (error) {
    if (caller?.aborted === true) throw new AbortError('filter request aborted', { cause: error })
    throw error
  } finally {
    metrics.requests.inc({
      type: TYPE_LABELS[request.filterSubscribeType] ?? 'unknown',
      status_code: statusCode,
    })
  }
}
