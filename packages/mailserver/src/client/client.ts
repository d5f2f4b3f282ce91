/**
 * The mailserver client: asks the fastest reachable mailserver for the history of some topics,
 * follows cursors page by page, retries, fails over, and records per topic up to when history is
 * complete. Every request ends in a `history:synced` event, `synced` or `failed`: never silence.
 */
import { generatePrivateKey, loadCrypto, type Secp256k1Provider } from '@parley/crypto'
import { encodeEnvelope, hexToTopic, mergeBlooms, topicToBloom, topicToHex } from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Devp2pHost,
  type Logger,
  NotStartedError,
  type ParleyEvents,
  type Startable,
  type TypedEventTarget,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import type { MailRequest } from '../request.ts'
import { mailserverSymKey, makeRequestEnvelope } from '../request-envelope.ts'
import { connectTo } from './connect.ts'
import type { EnodeAddress } from './enode.ts'
import { MailserverUnavailableError } from './errors.ts'
import { type EnvelopeHandler, Exchanges, type PageReply, SeenEnvelopes } from './exchange.ts'
import { HistoryLedger, type TopicHistory } from './history.ts'
import type { ClientMetrics } from './metrics.ts'
import type { MailserverClientSettings } from './options.ts'
import { checkQuery, historyWindows, outcomeOf, publicKeyOf } from './query.ts'
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

export interface HistoryQuery {
  /** `0x` + 8 hex digits each */
  topics: string[]
  /** unix seconds, inclusive */
  from: number
  /** unix seconds, inclusive; default now */
  to?: number
  /** called once per envelope not seen before, with its RLP and `0x` hash */
  onEnvelope?: EnvelopeHandler
}

export interface HistoryResult {
  topics: string[]
  from: number
  to: number
  /** new envelopes */
  envelopes: number
  duplicates: number
  pages: number
  /** enode of the mailserver that served the last page */
  mailserver: string
}

export class MailserverClient implements Startable {
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
   * window's cursor until the mailserver has no more. Rejects with `MailserverUnavailableError`
   * when no mailserver could serve a page (after retries and failover), `AbortError` on abort.
   */
  async requestHistory(query: HistoryQuery, options?: AbortOptions): Promise<HistoryResult> {
    if (this.#keys === undefined) throw new NotStartedError('the mailserver client is not started')
    const to = query.to ?? this.#settings.now()
    const { from } = query
    const topics = checkQuery(query.topics, from, to)
    const result: HistoryResult = { topics, from, to, envelopes: 0, duplicates: 0, pages: 0, mailserver: '' }
    try {
      for (const [lower, upper] of historyWindows(from, to)) {
        await this.#fetchWindow(topics, lower, upper, query.onEnvelope, result, options)
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.#ledger.failed(topics, message, Date.now())
      this.#report(result, 'failed', message)
      throw error
    }
    this.#ledger.synced(topics, to, Date.now())
    this.#report(result, 'synced')
    return result
  }

  #report(result: HistoryResult, status: 'synced' | 'failed', error?: string): void {
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

  async #fetchWindow(
    topics: string[],
    lower: number,
    upper: number,
    onEnvelope: EnvelopeHandler | undefined,
    result: HistoryResult,
    options?: AbortOptions,
  ): Promise<void> {
    const topicBytes = topics.map(hexToTopic)
    let cursor: Uint8Array = new Uint8Array(0)
    do {
      const request: MailRequest = {
        lower,
        upper,
        bloom: mergeBlooms(...topicBytes.map(topicToBloom)),
        topics: topicBytes,
        limit: this.#settings.pageLimit,
        cursor,
        batch: true,
      }
      const { reply, server } = await this.#page(request, onEnvelope, options)
      result.pages++
      result.envelopes += reply.envelopes
      result.duplicates += reply.duplicates
      result.mailserver = server.enode
      cursor = reply.cursor
    } while (cursor.length > 0)
  }

  /** One page, from the active mailserver, retried and failed over up to `maxFailures` × mailservers. */
  async #page(
    request: MailRequest,
    onEnvelope: EnvelopeHandler | undefined,
    options?: AbortOptions,
  ): Promise<{ reply: PageReply; server: EnodeAddress }> {
    const { metrics } = this.#components
    const attempts = this.#settings.maxFailures * this.#settings.mailservers.length
    let lastError: unknown
    for (let attempt = 0; attempt < attempts; attempt++) {
      const server = await this.#selector.select(options)
      try {
        const reply = await this.#locked(server.id, () => this.#ask(server, request, onEnvelope, options))
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
    onEnvelope: EnvelopeHandler | undefined,
    options?: AbortOptions,
  ): Promise<PageReply> {
    const keys = this.#keys
    if (keys === undefined) throw new NotStartedError('the mailserver client stopped')
    const { protocol, host, metrics } = this.#components
    await connectTo(host, protocol, server, this.#settings.requestTimeoutMs, options)
    protocol.markTrustedPeer(server.id)
    const { envelope, requestId } = await makeRequestEnvelope(
      {
        request,
        layout: this.#settings.layout,
        ...(keys.symKey === undefined
          ? { serverPublicKey: publicKeyOf(server.id) }
          : { symKey: keys.symKey }),
        signingKey: keys.signingKey,
        pow: this.#settings.requestPow ?? protocol.minPow,
      },
      { secp256k1: keys.secp256k1, now: this.#settings.now(), signal: options?.signal },
    )
    const reply = await this.#exchanges.run(
      server.id,
      requestId,
      () => protocol.sendP2PRequest(server.id, encodeEnvelope(envelope), options),
      this.#settings.requestTimeoutMs,
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
