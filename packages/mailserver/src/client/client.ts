/**
 * The mailserver client: asks the fastest reachable mailserver for the history of some topics,
 * follows cursors page by page, retries, fails over, and records per topic up to when history is
 * complete. Every request ends in a `history:synced` event, `synced` or `failed`: never silence.
 */
import { bytesToHex, generatePrivateKey, loadCrypto, type Secp256k1Provider } from '@parley/crypto'
import { encodeEnvelope, hexToTopic, mergeBlooms, topicToBloom, topicToHex } from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Devp2pHost,
  type HistoryClient,
  type HistoryQuery,
  type HistoryResult,
  type Logger,
  NotStartedError,
  type ParleyEvents,
  type Startable,
  type TypedEventTarget,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import type { HistorySyncedDetail } from '../events.ts'
import type { MailRequest } from '../request.ts'
import { mailserverSymKey, makeRequestEnvelope } from '../request-envelope.ts'
import { connectTo } from './connect.ts'
import type { EnodeAddress } from './enode.ts'
import { MailserverUnavailableError } from './errors.ts'
import { type EnvelopeHandler, Exchanges, type PageReply, SeenEnvelopes } from './exchange.ts'
import { HistoryLedger, type TopicHistory } from './history.ts'
import type { ClientMetrics } from './metrics.ts'
import type { MailserverClientSettings } from './options.ts'
import {
  cursorAbove,
  outcomeOf,
  type PreparedQuery,
  pageRequest,
  prepareQuery,
  publicKeyOf,
  resumeWindows,
} from './query.ts'
import { MailserverSelector, type MailserverStatus } from './selector.ts'

export interface MailserverClientComponents {
  protocol: V1PrivacyProtocol
  host: Devp2pHost
  logger: Logger
  metrics: ClientMetrics
  events: TypedEventTarget<ParleyEvents>
  /** the node key, which signs requests unless `signingKey` is set */
  nodeKey?: Uint8Array
}

/** The mailserver client: the node's `HistoryClient` over Waku v1 or Whisper. */
export class MailserverClient implements HistoryClient, Startable {
  readonly #components: MailserverClientComponents
  readonly #settings: MailserverClientSettings
  readonly #selector: MailserverSelector
  readonly #exchanges: Exchanges
  readonly #ledger = new HistoryLedger()
  readonly #locks = new Map<string, Promise<unknown>>()
  #keys: { secp256k1: Secp256k1Provider; symKey: Uint8Array | undefined; signingKey: Uint8Array } | undefined
  #unlisten: Array<() => void> = []

  constructor(components: MailserverClientComponents, settings: MailserverClientSettings) {
    this.#components = components
    this.#settings = settings
    this.#exchanges = new Exchanges(new SeenEnvelopes(settings.seenCapacity))
    this.#selector = new MailserverSelector(settings.mailservers, {
      ping: settings.ping,
      pingTimeoutMs: settings.pingTimeoutMs,
      maxFailures: settings.maxFailures,
      backoffMs: settings.backoffMs,
      maxBackoffMs: settings.maxBackoffMs,
      random: settings.random,
      nowMs: () => Date.now(),
    })
  }

  isStarted(): boolean {
    return this.#keys !== undefined
  }

  async start(options?: AbortOptions): Promise<void> {
    if (this.#keys !== undefined) return
    const { secp256k1 } = await loadCrypto({ signal: options?.signal })
    const symKey = this.#settings.encryptToNodeKey
      ? undefined
      : await mailserverSymKey(this.#settings.password, options)
    const signingKey = this.#settings.signingKey ?? this.#components.nodeKey ?? generatePrivateKey()
    const { protocol } = this.#components
    const onMessage = (event: CustomEvent<{ peer: string; envelopes: Uint8Array[] }>): void =>
      this.#exchanges.onMessages(event.detail.peer, event.detail.envelopes)
    const onComplete = (event: CustomEvent<{ peer: string; payload: Uint8Array }>): void =>
      this.#exchanges.onComplete(event.detail.peer, event.detail.payload)
    protocol.addEventListener('p2p:message', onMessage)
    protocol.addEventListener('p2p:request-complete', onComplete)
    this.#unlisten = [
      () => protocol.removeEventListener('p2p:message', onMessage),
      () => protocol.removeEventListener('p2p:request-complete', onComplete),
    ]
    for (const address of this.#selector.addresses) protocol.markTrustedPeer(address.id)
    this.#keys = { secp256k1, symKey, signingKey }
  }

  async stop(): Promise<void> {
    this.#exchanges.abortAll(new AbortError('the mailserver client stopped'))
    for (const unlisten of this.#unlisten) unlisten()
    this.#unlisten = []
    this.#keys = undefined
  }

  /** Per topic, up to when history is complete and how the last attempt went. */
  historyStatus(topics?: readonly string[]): TopicHistory[] {
    return this.#ledger.status(topics?.map((topic) => topicToHex(hexToTopic(topic))))
  }

  /** The configured mailservers: measured RTT, failures, grey-listing, which one is active. */
  mailservers(): MailserverStatus[] {
    return this.#selector.status()
  }

  /**
   * Fetches `topics` from `from` to `to` in windows of at most 24 h, newest first, following each
   * window's cursor until the mailserver has no more (or `maxPages` pages came: the result's
   * `cursor` resumes). Rejects with `InvalidParametersError` for a bad query,
   * `MailserverUnavailableError` when no mailserver could serve a page (after retries and
   * failover; a named `mailserver` gets `maxFailures` attempts), `AbortError` on abort.
   */
  async requestHistory(query: HistoryQuery, options?: AbortOptions): Promise<HistoryResult> {
    if (this.#keys === undefined) throw new NotStartedError('the mailserver client is not started')
    const prepared = prepareQuery(query, {
      now: this.#settings.now(),
      pageLimit: this.#settings.pageLimit,
      timeoutMs: this.#settings.requestTimeoutMs,
    })
    const { topics, from, to } = prepared
    const result: HistoryResult = {
      topics,
      from,
      to,
      envelopes: 0,
      duplicates: 0,
      pages: 0,
      mailserver: '',
      requestIds: [],
    }
    try {
      const rest = await this.#fetch(prepared, query.onEnvelope, result, options)
      if (rest !== undefined) result.cursor = bytesToHex(rest)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.#ledger.failed(topics, message, Date.now(), result.mailserver)
      this.#report(result, 'failed', message)
      throw error
    }
    if (result.cursor === undefined) this.#ledger.synced(topics, to, Date.now(), result.mailserver)
    else this.#ledger.attempted(topics, Date.now(), result.mailserver)
    this.#report(result, result.cursor === undefined ? 'synced' : 'partial')
    return result
  }

  #report(result: HistoryResult, status: HistorySyncedDetail['status'], error?: string): void {
    const { topics, from, to, envelopes, mailserver } = result
    this.#components.events.safeDispatchEvent('history:synced', {
      topics,
      from,
      to,
      status,
      envelopes,
      ...(mailserver === '' ? {} : { mailserver }),
      ...(error === undefined ? {} : { error }),
    })
  }

  /** Window by window, page by page; returns the cursor to resume from when `maxPages` stopped it. */
  async #fetch(
    query: PreparedQuery,
    onEnvelope: EnvelopeHandler | undefined,
    result: HistoryResult,
    options?: AbortOptions,
  ): Promise<Uint8Array | undefined> {
    const topicBytes = query.topics.map(hexToTopic)
    const bloom = mergeBlooms(...topicBytes.map(topicToBloom))
    for (const window of resumeWindows(query.from, query.to, query.cursor)) {
      let cursor = window.cursor
      do {
        if (result.pages >= query.maxPages) return cursor.length > 0 ? cursor : cursorAbove(window.upper)
        const request = pageRequest(window, bloom, topicBytes, query.pageLimit, cursor)
        const { reply, server } = await this.#page(request, query, onEnvelope, result.requestIds, options)
        result.pages++
        result.envelopes += reply.envelopes
        result.duplicates += reply.duplicates
        result.mailserver = server.enode
        cursor = reply.cursor
      } while (cursor.length > 0)
    }
    return undefined
  }

  /**
   * One page, from the active mailserver, retried and failed over up to `maxFailures` × mailservers;
   * from the query's named mailserver, `maxFailures` attempts.
   */
  async #page(
    request: MailRequest,
    query: PreparedQuery,
    onEnvelope: EnvelopeHandler | undefined,
    requestIds: string[],
    options?: AbortOptions,
  ): Promise<{ reply: PageReply; server: EnodeAddress }> {
    const { metrics } = this.#components
    const servers = query.server === undefined ? this.#settings.mailservers.length : 1
    const attempts = this.#settings.maxFailures * servers
    let lastError: unknown
    for (let attempt = 0; attempt < attempts; attempt++) {
      const server = query.server ?? (await this.#selector.select(options))
      try {
        const ask = () => this.#ask(server, request, query, onEnvelope, requestIds, options)
        const reply = await this.#locked(server.id, ask)
        this.#selector.succeeded(server)
        return { reply, server }
      } catch (error) {
        if (
          error instanceof AbortError ||
          error instanceof NotStartedError ||
          options?.signal?.aborted === true
        ) {
          throw error
        }
        lastError = error
        metrics.requests.inc({ result: outcomeOf(error) })
        this.#components.logger.info('mailserver %s failed a page: %s', server.enode, error)
        if (this.#selector.failed(server)) metrics.failovers.inc()
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError)
    throw new MailserverUnavailableError(`no mailserver served the page: ${reason}`, { cause: lastError })
  }

  async #ask(
    server: EnodeAddress,
    request: MailRequest,
    query: PreparedQuery,
    onEnvelope: EnvelopeHandler | undefined,
    requestIds: string[],
    options?: AbortOptions,
  ): Promise<PageReply> {
    const keys = this.#keys
    if (keys === undefined) throw new NotStartedError('the mailserver client stopped')
    const { protocol, host, metrics } = this.#components
    await connectTo(host, protocol, server, query.timeoutMs, options)
    protocol.markTrustedPeer(server.id)
    const symKey = query.auth === 'node-key' ? undefined : (query.auth ?? keys.symKey)
    const { envelope, requestId } = await makeRequestEnvelope(
      {
        request,
        layout: this.#settings.layout,
        ...(symKey === undefined ? { serverPublicKey: publicKeyOf(server.id) } : { symKey }),
        signingKey: keys.signingKey,
        pow: this.#settings.requestPow ?? protocol.minPow,
      },
      { secp256k1: keys.secp256k1, now: this.#settings.now(), signal: options?.signal },
    )
    requestIds.push(`0x${bytesToHex(requestId)}`)
    const reply = await this.#exchanges.run(
      server.id,
      requestId,
      () => protocol.sendP2PRequest(server.id, encodeEnvelope(envelope), options),
      query.timeoutMs,
      { signal: options?.signal, onEnvelope },
    )
    metrics.requests.inc({ result: 'completed' })
    metrics.envelopes.inc({ result: 'new' }, reply.envelopes)
    metrics.envelopes.inc({ result: 'duplicate' }, reply.duplicates)
    if (reply.firstEnvelopeMs !== undefined)
      metrics.latency.observe(reply.firstEnvelopeMs / 1000, { stage: 'first-envelope' })
    metrics.latency.observe(reply.completeMs / 1000, { stage: 'complete' })
    metrics.latency.observe(reply.deliveredMs / 1000, { stage: 'delivered' })
    return reply
  }

  /** Runs `task` after every earlier task for the same mailserver: one request in flight per peer. */
  async #locked<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(task)
    this.#locks.set(id, run)
    try {
      return await run
    } finally {
      if (this.#locks.get(id) === run) this.#locks.delete(id)
    }
  }
}
