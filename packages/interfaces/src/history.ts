import type { AbortOptions } from './abort.ts'

/**
 * Asking a history service (a Whisper/Waku v1 mailserver) for the envelopes a node missed while it
 * was offline. The envelopes reach the protocol's subscriptions that allow p2p (`allowP2P: true`),
 * and `onEnvelope` when given; the result only counts them.
 */
export interface HistoryQuery {
  /** `0x` + 8 hex digits each; at least one */
  topics: string[]
  /** unix seconds, inclusive */
  from: number
  /** unix seconds, inclusive; default now */
  to?: number
  /** enode URL of the mailserver to ask; default the client's own choice (with failover) */
  mailserver?: string
  /**
   * How the request is sealed: a 32-byte symmetric key (status-go's `symKeyID`), or `'node-key'`:
   * encrypted to the mailserver's node key. Default the client's configuration.
   */
  auth?: Uint8Array | 'node-key'
  /** envelopes per page, 1..1000; default the client's */
  pageLimit?: number
  /**
   * resume from the cursor a previous result returned (`HistoryResult.cursor`: hex, as status-go
   * prints cursors; a `0x` prefix is accepted)
   */
  cursor?: string
  /** fetch at most this many pages, leaving the rest to a later call with `cursor`; default all */
  maxPages?: number
  /** per page, ms, for the request-complete to arrive; default the client's */
  timeoutMs?: number
  /** called once per envelope not seen before, with its RLP and `0x` hash */
  onEnvelope?: (envelope: Uint8Array, hash: string) => void
}

export interface HistoryResult {
  /** normalised topics */
  topics: string[]
  from: number
  to: number
  /** new envelopes received */
  envelopes: number
  /** envelopes received again (from another page or mailserver) */
  duplicates: number
  pages: number
  /** enode URL of the mailserver that served the last page */
  mailserver: string
  /** `0x` + 64 hex digits: the id of each request sent, in order (status-go's request ids) */
  requestIds: string[]
  /** hex cursor to continue from when `maxPages` stopped early; absent when the range is complete */
  cursor?: string
}

/** Per topic, up to when history is complete, and how the last attempt went. */
export interface TopicHistoryStatus {
  /** `0x` + 8 hex digits */
  topic: string
  /** unix seconds up to which every page of a requested range arrived; undefined before a success */
  syncedTo: number | undefined
  /** unix ms of the last attempt, successful or not */
  lastAttemptAt: number | undefined
  /** the error of the last attempt when it failed; cleared by a success */
  lastError: string | undefined
  /** enode URL of the mailserver used by the last attempt that reached one */
  mailserver: string | undefined
}

/** A history client: the mailserver client of `@parley/mailserver` provides it. */
export interface HistoryClient {
  /**
   * Fetches the history of `query.topics` between `from` and `to`, page by page. Rejects with
   * `InvalidParametersError` for a bad query, `AbortError` on abort, and otherwise with the
   * provider's error when no mailserver could serve it.
   */
  requestHistory(query: HistoryQuery, options?: AbortOptions): Promise<HistoryResult>
  /** Every topic asked about so far, or just `topics`. */
  historyStatus(topics?: readonly string[]): TopicHistoryStatus[]
}
