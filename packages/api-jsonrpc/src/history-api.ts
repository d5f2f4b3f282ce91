/**
 * History over JSON-RPC, on the node's `HistoryClient` (the mailserver client): status-go's
 * `shhext_requestMessages` / `wakuext_requestMessages` with its `MessagesRequest` object, and
 * `parley_historyStatus`. The envelopes arrive where status-go delivers them: at the namespace's
 * filters created with `allowP2P: true`. One difference: status-go answers as soon as the request
 * is sent and reports completion by signal; we answer once every page has arrived (so the next
 * `…_getFilterMessages` sees the history), with the same result, the first request's id.
 */
import { type HistoryClient, type HistoryQuery, InvalidParametersError } from '@parley/interfaces'
import type { RpcMethod } from './jsonrpc.ts'
import type { ShhKeyStore } from './keys.ts'
import { arity, object, optional, text, uint32 } from './params.ts'

/** status-go's defaults: the last 24 hours, and 10 s for the mailserver to answer. */
const DEFAULT_RANGE_SECONDS = 86_400
const DEFAULT_TIMEOUT_SECONDS = 10

/** `shhext_requestMessages` (prefix `shhext`) or `wakuext_requestMessages` on that namespace's keys. */
export function requestMessagesMethod(
  history: HistoryClient,
  keys: ShhKeyStore,
  now: () => number = () => Math.floor(Date.now() / 1000),
): RpcMethod {
  return async (params, { signal }) => {
    arity(params, 1)
    const query = messagesRequest(object(params[0], 0), keys, now())
    const result = await history.requestHistory(query, { signal })
    return result.requestIds[0] ?? null
  }
}

/** `parley_historyStatus([topics?])`: per topic, synced-until, last attempt and error, mailserver used. */
export function historyStatusMethod(history: HistoryClient): RpcMethod {
  return (params) => {
    arity(params, 0, 1)
    const topics = optional(params[0], (value) => topicList(value, 'topics'))
    return history.historyStatus(topics).map((entry) => ({
      topic: entry.topic,
      syncedTo: entry.syncedTo ?? null,
      lastAttemptAt: entry.lastAttemptAt ?? null,
      lastError: entry.lastError ?? null,
      mailserver: entry.mailserver ?? null,
    }))
  }
}

/**
 * status-go's `MessagesRequest` JSON (`services/ext/api.go`) as a `HistoryQuery`: `mailServerPeer`
 * (enode; empty: the client chooses), `symKeyID` (empty: encrypt to the mailserver's node key),
 * `from`/`to` (0: the last 24 h up to now), `limit` (per page), `cursor`, `topics` (or the
 * deprecated `topic`), `timeout` (seconds per page). `force` is accepted and ignored.
 */
function messagesRequest(request: Record<string, unknown>, keys: ShhKeyStore, now: number): HistoryQuery {
  const to = optional(request.to, (value) => uint32(value, 'to')) || now
  const from =
    optional(request.from, (value) => uint32(value, 'from')) || Math.max(0, to - DEFAULT_RANGE_SECONDS)
  if (from > to) throw new InvalidParametersError(`Query range is invalid: from > to (${from} > ${to})`)
  const topics = optional(request.topics, (value) => topicList(value, 'topics')) ?? []
  const topic = optional(request.topic, (value) => text(value, 'topic'))
  if (topics.length === 0 && topic !== undefined) topics.push(topic)
  const symKeyID = optional(request.symKeyID, (value) => text(value, 'symKeyID')) ?? ''
  const mailServerPeer = optional(request.mailServerPeer, (value) => text(value, 'mailServerPeer')) ?? ''
  const limit = optional(request.limit, (value) => uint32(value, 'limit')) || undefined
  const cursor = optional(request.cursor, (value) => text(value, 'cursor')) || undefined
  const timeout = optional(request.timeout, (value) => uint32(value, 'timeout')) || DEFAULT_TIMEOUT_SECONDS
  return {
    topics,
    from,
    to,
    auth: symKeyID === '' ? 'node-key' : symKey(keys, symKeyID),
    timeoutMs: timeout * 1000,
    ...(mailServerPeer === '' ? {} : { mailserver: mailServerPeer }),
    ...(limit === undefined ? {} : { pageLimit: limit }),
    ...(cursor === undefined ? {} : { cursor }),
  }
}

function symKey(keys: ShhKeyStore, id: string): Uint8Array {
  try {
    return keys.rawSymKey(id).slice()
  } catch (error) {
    throw new InvalidParametersError(`invalid symKeyID value: ${(error as Error).message}`, { cause: error })
  }
}

function topicList(value: unknown, at: string): string[] {
  if (!Array.isArray(value)) throw new InvalidParametersError(`${at}: want an array of topics`)
  return value.map((topic, index) => text(topic, `${at}[${index}]`))
}
