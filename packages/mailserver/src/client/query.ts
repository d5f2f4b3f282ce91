/** The pure parts of a history request: checking the query, cutting it into 24 h windows, resuming. */
import { hexToBytes } from '@parley/crypto'
import { hexToTopic, topicToHex } from '@parley/envelope'
import { type HistoryQuery, InvalidParametersError, TimeoutError } from '@parley/interfaces'
import { CURSOR_LENGTH, DB_KEY_LENGTH, decodeCursor, encodeCursor } from '../db-key.ts'
import { MAX_REQUEST_LIMIT, type MailRequest } from '../request.ts'
import { type EnodeAddress, parseEnode } from './enode.ts'
import { MailserverRefusedError } from './errors.ts'

/** status-go refuses a range over 24 h, so longer ranges go as several requests. */
export const MAX_WINDOW_SECONDS = 24 * 60 * 60

/** Topics normalised to `0x` + 8 hex digits; throws `InvalidParametersError` for a bad query. */
export function checkQuery(topics: readonly string[], from: number, to: number): string[] {
  const normalised = topics.map((topic) => topicToHex(hexToTopic(topic)))
  if (normalised.length === 0) throw new InvalidParametersError('name at least one topic')
  const valid =
    Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from <= to && to <= 0xffff_ffff
  if (!valid) throw new InvalidParametersError(`need 0 ≤ from ≤ to < 2^32 unix seconds, got ${from}..${to}`)
  return normalised
}

/** `[lower, upper]` windows covering `from..to`, newest first, each spanning at most 24 h. */
export function historyWindows(from: number, to: number): Array<[lower: number, upper: number]> {
  const windows: Array<[number, number]> = []
  for (let upper = to; upper >= from; ) {
    const lower = Math.max(from, upper - MAX_WINDOW_SECONDS)
    windows.push([lower, upper])
    if (lower === 0) break
    upper = lower - 1
  }
  return windows
}

/** The label a failed page is counted under. */
export function outcomeOf(error: unknown): 'refused' | 'timeout' | 'failed' {
  if (error instanceof MailserverRefusedError) return 'refused'
  if (error instanceof TimeoutError) return 'timeout'
  return 'failed'
}

/** The 65-byte public key of a devp2p node id. */
export function publicKeyOf(nodeId: string): Uint8Array {
  const key = new Uint8Array(65)
  key[0] = 4
  for (let i = 0; i < 64; i++) key[i + 1] = Number.parseInt(nodeId.slice(2 * i, 2 * i + 2), 16)
  return key
}

/** A `HistoryQuery` checked, with the client's defaults filled in. */
export interface PreparedQuery {
  topics: string[]
  from: number
  to: number
  /** the mailserver the caller named; undefined: the selector chooses */
  server: EnodeAddress | undefined
  /** how to seal the requests; undefined: the client's configuration */
  auth: Uint8Array | 'node-key' | undefined
  pageLimit: number
  /** where to resume; empty for the start */
  cursor: Uint8Array
  maxPages: number
  timeoutMs: number
}

/** Checks a query; every fault is an `InvalidParametersError`. */
export function prepareQuery(
  query: HistoryQuery,
  defaults: { now: number; pageLimit: number; timeoutMs: number },
): PreparedQuery {
  const to = query.to ?? defaults.now
  const topics = checkQuery(query.topics, query.from, to)
  const positive = (value: number | undefined, name: string, max = Number.MAX_SAFE_INTEGER) => {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1 && value <= max))
      throw new InvalidParametersError(`${name} must be an integer in 1..${max}, got ${value}`)
    return value
  }
  const { auth } = query
  if (auth !== undefined && auth !== 'node-key' && !(auth instanceof Uint8Array && auth.length === 32))
    throw new InvalidParametersError("auth must be a 32-byte symmetric key or 'node-key'")
  return {
    topics,
    from: query.from,
    to,
    server: query.mailserver === undefined ? undefined : enodeOf(query.mailserver),
    auth,
    pageLimit: positive(query.pageLimit, 'pageLimit', MAX_REQUEST_LIMIT) ?? defaults.pageLimit,
    cursor: query.cursor === undefined ? new Uint8Array(0) : cursorOf(query.cursor),
    maxPages: positive(query.maxPages, 'maxPages') ?? Number.POSITIVE_INFINITY,
    timeoutMs: positive(query.timeoutMs, 'timeoutMs') ?? defaults.timeoutMs,
  }
}

/** A window to fetch and the cursor to start it with. */
export interface HistoryWindow {
  lower: number
  upper: number
  cursor: Uint8Array
}

/**
 * The windows of `from..to` still to fetch when resuming at `cursor` (empty: all of them). Windows
 * come newest first and a cursor is exclusive, so the windows above its timestamp are done, the one
 * holding it resumes there, and older ones start afresh.
 */
export function resumeWindows(from: number, to: number, cursor: Uint8Array): HistoryWindow[] {
  const at = cursor.length === 0 ? undefined : decodeCursor(cursor).timestamp
  return historyWindows(from, to)
    .filter(([lower]) => at === undefined || lower <= at)
    .map(([lower, upper]) => ({
      lower,
      upper,
      cursor: at !== undefined && at <= upper ? cursor : new Uint8Array(0),
    }))
}

/** The request for one page of a window: topics and their bloom, batched as status-go asks. */
export function pageRequest(
  window: HistoryWindow,
  bloom: Uint8Array,
  topics: Uint8Array[],
  limit: number,
  cursor: Uint8Array,
): MailRequest {
  return { lower: window.lower, upper: window.upper, bloom, topics, limit, cursor, batch: true }
}

/** A cursor that resumes at the top of a window (everything at or below `upper`). */
export function cursorAbove(upper: number): Uint8Array {
  return encodeCursor({ timestamp: Math.min(upper + 1, 0xffff_ffff), hash: new Uint8Array(32) })
}

function enodeOf(enode: string): EnodeAddress {
  try {
    return parseEnode(enode)
  } catch (error) {
    throw new InvalidParametersError(`mailserver: ${(error as Error).message}`)
  }
}

function cursorOf(text: string): Uint8Array {
  const digits = text.startsWith('0x') ? text.slice(2) : text
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new InvalidParametersError('cursor must be hex')
  const bytes = hexToBytes(digits)
  if (bytes.length !== CURSOR_LENGTH && bytes.length !== DB_KEY_LENGTH)
    throw new InvalidParametersError(`a cursor is ${CURSOR_LENGTH} bytes, got ${bytes.length}`)
  return bytes
}
