/**
 * `WakuStore`: the 13/WAKU2-STORE service. Serving: archives what the relay accepts, applies the
 * retention policy in the background and answers v3 and v2beta4 queries with nwaku's status codes.
 * Client: `query` and `history` follow a remote server's cursors.
 */
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  type Libp2pHost,
  type Logger,
  type MessageArchive,
  NotStartedError,
  type WakuStorePage,
  type WakuStoreQuery,
  type WakuStoreService,
} from '@parley/interfaces'
import { encodeWakuMessage, type WakuMessage } from '@parley/protocol-waku2'
import { toArchived } from './archived.ts'
import {
  type HistoryPage,
  type HistoryQueryInit,
  historyQuery,
  type StoreQuery,
  type StoreQueryPage,
  storeQuery,
  v3Request,
} from './client.ts'
import { HistoryError, LEGACY_STORE_CODEC, STORE_CODEC, StoreStatus } from './constants.ts'
import { answerHistoryQuery } from './legacy-answer.ts'
import { decodeHistoryRpc, encodeHistoryRpc, type HistoryResponse, type HistoryRpc } from './legacy-codec.ts'
import type { StoreMetrics } from './metrics.ts'
import type { StoreSettings } from './options.ts'
import { BadStoreRequest } from './query-plan.ts'
import { RequestLimiter } from './rate-limit.ts'
import { followRelay, type RelayedMessage, type RelayFeed } from './relay-feed.ts'
import { applyRetention } from './retention.ts'
import { type StoreClientHost, serveOnce } from './stream.ts'
import { answerStoreQuery } from './v3-answer.ts'
import { decodeStoreQueryRequest, encodeStoreQueryResponse, type StoreQueryResponse } from './v3-codec.ts'

export interface WakuStoreComponents {
  host: Pick<Libp2pHost, 'handle' | 'unhandle'> & StoreClientHost
  /** present when the node serves */
  archive: MessageArchive | undefined
  /** archived from when present */
  relay: RelayFeed | undefined
  logger: Logger
  metrics: StoreMetrics
}

const NS_PER_MS = 1_000_000n

export class WakuStore implements WakuStoreService {
  readonly #components: WakuStoreComponents
  readonly #settings: StoreSettings
  readonly #limiter: RequestLimiter
  readonly #pending = new Set<Promise<unknown>>()
  /** start and stop run one after the other, so a stop racing a start never leaves handlers behind */
  #lifecycle: Promise<unknown> = Promise.resolve()
  #running: AbortController | undefined
  #unfollow: (() => void) | undefined
  #cleaner: ReturnType<typeof setInterval> | undefined

  constructor(components: WakuStoreComponents, settings: StoreSettings) {
    this.#components = components
    this.#settings = settings
    this.#limiter = new RequestLimiter(settings.rateLimit)
  }

  isStarted(): boolean {
    return this.#running !== undefined
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) throw new AbortError('waku2 store start aborted')
    return this.#serially(() => this.#start())
  }

  async stop(): Promise<void> {
    return this.#serially(() => this.#stop())
  }

  #serially(transition: () => Promise<void>): Promise<void> {
    const next = this.#lifecycle.then(transition)
    this.#lifecycle = next.catch(() => {})
    return next
  }

  async #start(): Promise<void> {
    if (this.#running !== undefined) return
    this.#running = new AbortController()
    if (this.#components.archive === undefined) return // a client only
    try {
      await this.#serveAndFollow()
    } catch (error) {
      await this.#stop()
      throw error
    }
  }

  async #serveAndFollow(): Promise<void> {
    const { relay, host, logger } = this.#components
    await host.handle(STORE_CODEC, (stream) =>
      this.#serve(stream, (bytes, signal) => this.#answerV3(bytes, signal)),
    )
    if (this.#settings.legacy)
      await host.handle(LEGACY_STORE_CODEC, (stream) =>
        this.#serve(stream, (bytes, signal) => this.#answerLegacy(bytes, signal)),
      )
    if (relay !== undefined && this.#settings.archiveRelay)
      this.#unfollow = followRelay(
        relay,
        (relayed) => {
          if (this.#timely(relayed.message)) this.#track(this.#archive(relayed))
          else logger.debug('relayed message not archived: its timestamp is too far from now')
        },
        (error) => logger.warn(`relayed message not archived: ${String(error)}`),
      )
    const { retention, retentionIntervalMs } = this.#settings
    if (retention.maxAgeSeconds !== undefined || retention.maxMessages !== undefined) {
      this.#cleaner = setInterval(() => this.#track(this.prune()), retentionIntervalMs)
      this.#cleaner.unref?.()
    }
  }

  async #stop(): Promise<void> {
    const running = this.#running
    if (running === undefined) return
    this.#running = undefined
    running.abort(new AbortError('waku2 store stopped'))
    clearInterval(this.#cleaner)
    this.#cleaner = undefined
    this.#unfollow?.()
    this.#unfollow = undefined
    if (this.#components.archive !== undefined) {
      await this.#components.host.unhandle(STORE_CODEC)
      if (this.#settings.legacy) await this.#components.host.unhandle(LEGACY_STORE_CODEC)
    }
    await Promise.allSettled([...this.#pending])
  }

  /** Queries `peer`'s store v3 (see `storeQuery`), one page per iteration. */
  query(peer: string, query: StoreQuery, options?: AbortOptions): AsyncGenerator<StoreQueryPage> {
    return storeQuery(this.#components.host, peer, query, options)
  }

  /**
   * One page of this node's own archive, answered as a v3 query from a peer would be (no rate
   * limit). Throws `InvalidParametersError` for a query the store refuses (a 400 on the wire),
   * `NotStartedError` when this store does not serve or is stopped.
   */
  async queryLocal(query: WakuStoreQuery, options: AbortOptions = {}): Promise<WakuStorePage> {
    const archive = this.#archiveOrThrow()
    const request = { ...v3Request(query), requestId: 'local' }
    try {
      const { messages, paginationCursor } = await answerStoreQuery(archive, request, options)
      return { messages, ...(paginationCursor === undefined ? {} : { cursor: paginationCursor }) }
    } catch (error) {
      if (error instanceof BadStoreRequest) throw new InvalidParametersError(error.message, { cause: error })
      throw error
    }
  }

  /** Queries `peer`'s legacy v2beta4 store (see `historyQuery`), one page per iteration. */
  history(peer: string, query: HistoryQueryInit, options?: AbortOptions): AsyncGenerator<HistoryPage> {
    return historyQuery(this.#components.host, peer, query, options)
  }

  /**
   * Archives a message as if relayed on `pubsubTopic` (a node's own lightpush or bridge traffic).
   * Resolves false for an ephemeral or already stored message.
   */
  async archive(pubsubTopic: string, message: WakuMessage, options?: AbortOptions): Promise<boolean> {
    return this.#archive({ pubsubTopic, message, data: encodeWakuMessage(message) }, options)
  }

  /** Applies the retention policy now; resolves with the number of messages deleted. */
  async prune(options?: AbortOptions): Promise<number> {
    const archive = this.#archiveOrThrow()
    const deleted = await applyRetention(archive, this.#settings.retention, Date.now(), options)
    this.#components.metrics.pruned.inc(undefined, deleted)
    return deleted
  }

  #archiveOrThrow(): MessageArchive {
    const archive = this.#components.archive
    if (archive === undefined)
      throw new NotStartedError('this waku2 store does not serve (no message archive)')
    if (this.#running === undefined) throw new NotStartedError('waku2 store is not started')
    return archive
  }

  async #archive(relayed: RelayedMessage, options?: AbortOptions): Promise<boolean> {
    const archive = this.#archiveOrThrow()
    // 14/WAKU2-MESSAGE: ephemeral messages are not to be stored.
    if (relayed.message.ephemeral === true) return false
    const row = toArchived(relayed.pubsubTopic, relayed.data, relayed.message, BigInt(Date.now()) * NS_PER_MS)
    const added = (await archive.insert([row], options)) === 1
    if (added) this.#components.metrics.archived.inc()
    return added
  }

  #timely(message: WakuMessage): boolean {
    const timestamp = message.timestamp ?? 0n
    const now = BigInt(Date.now()) * NS_PER_MS
    const drift = BigInt(this.#settings.maxTimestampDrift) * NS_PER_MS
    return timestamp >= now - drift && timestamp <= now + drift
  }

  /** Runs background work, logging its failure, so that stop can wait for it. */
  #track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) =>
        this.#components.logger.warn(`waku2 store background work failed: ${String(error)}`),
      )
      .finally(() => this.#pending.delete(tracked))
    this.#pending.add(tracked)
  }

  #serve(stream: unknown, answer: (bytes: Uint8Array, signal: AbortSignal) => Promise<Uint8Array>): void {
    const running = this.#running
    if (running === undefined) return
    const signal = AbortSignal.any([running.signal, AbortSignal.timeout(this.#settings.requestTimeoutMs)])
    this.#track(
      serveOnce(stream, (bytes) => answer(bytes, signal), { signal }).catch((error: unknown) =>
        this.#components.logger.debug(`store stream ended early: ${String(error)}`),
      ),
    )
  }

  async #answerV3(bytes: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    const reply = (response: Partial<StoreQueryResponse> & { statusCode: number }) => {
      this.#components.metrics.queries.inc({ protocol: 'v3', status: String(response.statusCode) })
      return encodeStoreQueryResponse({ requestId: '', messages: [], ...response })
    }
    let request: ReturnType<typeof decodeStoreQueryRequest>
    try {
      request = decodeStoreQueryRequest(bytes)
    } catch {
      return reply({ statusCode: StoreStatus.badRequest, statusDesc: 'BAD_REQUEST: decode rpc failed' })
    }
    const { requestId } = request
    if (!this.#limiter.tryTake())
      return reply({ requestId, statusCode: StoreStatus.tooManyRequests, statusDesc: 'TOO_MANY_REQUESTS' })
    try {
      return reply(await answerStoreQuery(this.#archiveOrThrow(), request, { signal }))
    } catch (error) {
      if (error instanceof BadStoreRequest)
        return reply({
          requestId,
          statusCode: StoreStatus.badRequest,
          statusDesc: `BAD_REQUEST: ${error.message}`,
        })
      this.#components.logger.warn(`store query failed: ${String(error)}`)
      return reply({
        requestId,
        statusCode: StoreStatus.serviceUnavailable,
        statusDesc: 'SERVICE_UNAVAILABLE',
      })
    }
  }

  async #answerLegacy(bytes: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    const reply = (requestId: string, response: HistoryResponse) => {
      // Counted with the v3 status an error corresponds to.
      const status =
        response.error === HistoryError.invalidCursor ? StoreStatus.badRequest : response.error || 200
      this.#components.metrics.queries.inc({ protocol: 'v2beta4', status: String(status) })
      return encodeHistoryRpc({ requestId, response })
    }
    const refuse = (requestId: string, error: number) => reply(requestId, { messages: [], error })
    let rpc: HistoryRpc
    try {
      rpc = decodeHistoryRpc(bytes)
    } catch {
      return refuse('', HistoryError.invalidCursor)
    }
    const { requestId, query } = rpc
    // nwaku answers every bad request with INVALID_CURSOR, the only error v2beta4 has for it.
    if (query === undefined) return refuse(requestId, HistoryError.invalidCursor)
    if (!this.#limiter.tryTake()) return refuse(requestId, HistoryError.tooManyRequests)
    try {
      return reply(requestId, await answerHistoryQuery(this.#archiveOrThrow(), query, { signal }))
    } catch (error) {
      if (error instanceof BadStoreRequest) return refuse(requestId, HistoryError.invalidCursor)
      this.#components.logger.warn(`history query failed: ${String(error)}`)
      return refuse(requestId, HistoryError.serviceUnavailable)
    }
  }
}
