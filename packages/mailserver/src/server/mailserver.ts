/**
 * The mailserver service: archives the envelopes its protocols accept and answers history
 * requests (126) with the matching envelopes (127) and a request-complete (125), for Whisper v6
 * and Waku v1 alike, from one `MessageArchive`.
 */
import { bytesToHex, loadCrypto } from '@parley/crypto'
import {
  AbortError,
  type AbortOptions,
  DecodeError,
  type Logger,
  type MessageArchive,
  NotStartedError,
  type ParleyEvents,
  type Startable,
  type TypedEventTarget,
  type V1DirectEvents,
  type V1PrivacyProtocol,
} from '@parley/interfaces'
import { requestCompletedPayload, requestFailedPayload } from '../complete.ts'
import { mailserverSymKey } from '../request-envelope.ts'
import { listenForAccepted } from './archive-source.ts'
import { archivedFromRlp } from './archived.ts'
import { MailserverRequestError } from './errors.ts'
import type { MailserverMetrics } from './metrics.ts'
import type { MailserverSettings } from './options.ts'
import { collectPage } from './page.ts'
import { PeerRateLimiter } from './rate-limiter.ts'
import { type RequestKeys, readRequest } from './read-request.ts'
import { prune } from './retention.ts'

export interface MailserverComponents {
  /** the protocols served; each one's accepted envelopes are archived */
  protocols: V1PrivacyProtocol[]
  archive: MessageArchive
  logger: Logger
  metrics: MailserverMetrics
  events: TypedEventTarget<ParleyEvents>
}

export interface ServeResult {
  requestId: string
  envelopes: number
  bytes: number
  /** hex, empty when the range is exhausted */
  cursor: string
}

export class Mailserver implements Startable {
  readonly #components: MailserverComponents
  readonly #settings: MailserverSettings
  readonly #limiter: PeerRateLimiter | undefined
  readonly #inFlight = new Set<Promise<unknown>>()
  #keys: RequestKeys | undefined
  #unlisten: Array<() => void> = []
  #cleaner: ReturnType<typeof setInterval> | undefined
  #pruning: Promise<unknown> | undefined

  constructor(components: MailserverComponents, settings: MailserverSettings) {
    this.#components = components
    this.#settings = settings
    this.#limiter = settings.rateLimit === undefined ? undefined : new PeerRateLimiter(settings.rateLimit)
  }

  isStarted(): boolean {
    return this.#keys !== undefined
  }

  async start(options?: AbortOptions): Promise<void> {
    if (this.#keys !== undefined) return
    const { secp256k1 } = await loadCrypto({ signal: options?.signal })
    const password = this.#settings.password
    const symKey = password === undefined ? undefined : await mailserverSymKey(password, options)
    if (options?.signal?.aborted === true) throw new AbortError('mailserver start aborted')
    this.#keys = { secp256k1, symKey, privateKey: this.#settings.privateKey }
    for (const protocol of this.#components.protocols) {
      // Either form of 126: a sealed request envelope or status-go's bare MessagesRequest.
      const onRequest = (event: CustomEvent<V1DirectEvents['p2p:request']>): void => {
        const served = this.handleRequest(protocol, event.detail.peer, event.detail.payload)
        // Refusals are counted and answered already; anything else is a fault worth a log line.
        this.#track(
          served.catch((error: unknown) => {
            if (!(error instanceof MailserverRequestError))
              this.#components.logger.warn('serving a request failed: %s', error)
          }),
        )
      }
      protocol.addEventListener('p2p:request', onRequest)
      this.#unlisten.push(() => protocol.removeEventListener('p2p:request', onRequest))
      // Live traffic: every new valid envelope the protocol accepts, own posts included. A protocol
      // with `setArchiver` relays an envelope only once we archived it, so what a peer got from us
      // survives our crash; with another one we archive after the fact.
      this.#unlisten.push(
        protocol.setArchiver === undefined
          ? listenForAccepted(protocol, (envelope) => this.#track(this.archive([envelope])))
          : protocol.setArchiver((batch) => this.#archiveBatch(batch)),
      )
    }
    if (hasRetention(this.#settings.retention)) {
      this.#cleaner = setInterval(() => {
        this.#pruning ??= this.prune()
          .catch((error) => this.#components.logger.warn('retention cleaner failed: %s', error))
          .finally(() => {
            this.#pruning = undefined
          })
      }, this.#settings.retention.intervalMs)
      this.#cleaner.unref?.()
    }
  }

  async stop(): Promise<void> {
    if (this.#keys === undefined) return
    for (const unlisten of this.#unlisten) unlisten()
    this.#unlisten = []
    clearInterval(this.#cleaner)
    this.#cleaner = undefined
    await Promise.allSettled([...this.#inFlight, this.#pruning])
    this.#keys = undefined
  }

  /**
   * Archives envelopes given as RLP (status-go's `Archive`); resolves with how many were new.
   * Bytes that are no envelope are counted and skipped, never stored.
   */
  async archive(envelopes: readonly Uint8Array[], options?: AbortOptions): Promise<number> {
    const { archive, metrics, logger } = this.#components
    const rows = []
    for (const bytes of envelopes) {
      try {
        rows.push(archivedFromRlp(bytes).message)
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error
        metrics.archived.inc({ result: 'malformed' })
      }
    }
    if (rows.length === 0) return 0
    try {
      const added = await archive.insert(rows, options)
      metrics.archived.inc({ result: 'archived' }, added)
      metrics.archived.inc({ result: 'duplicate' }, rows.length - added)
      if (added > 0)
        metrics.archivedBytes.inc(
          {},
          rows.reduce((sum, row) => sum + row.data.length, 0),
        )
      return added
    } catch (error) {
      const full = (error as { code?: unknown } | undefined)?.code === 'ERR_STORE_FULL'
      metrics.archived.inc({ result: full ? 'store-full' : 'error' }, rows.length)
      logger.warn('archiving %d envelopes failed: %s', rows.length, error)
      throw error
    }
  }

  /**
   * Serves one p2p request (126) from `peer`: envelopes as p2p messages, then request-complete, or
   * `ERROR=` when refused. Rejects with the `MailserverRequestError` it answered with.
   */
  async handleRequest(
    protocol: V1PrivacyProtocol,
    peer: string,
    payload: Uint8Array,
    options?: AbortOptions,
  ): Promise<ServeResult> {
    const keys = this.#keys
    if (keys === undefined) throw new NotStartedError('the mailserver is not started')
    const { metrics, events } = this.#components
    const label = { protocol: protocol.protocol }
    const stopTimer = metrics.latency.startTimer(label)
    const started = Date.now()
    let requestId: Uint8Array | undefined
    try {
      const read = readRequest(payload, keys, this.#settings, (id) => {
        requestId = id
        if (this.#limiter?.allow(peer, Date.now()) === false) {
          throw new MailserverRequestError('rate-limited', 'rate limit exceeded', { requestId: id })
        }
      })
      const page = await collectPage(
        this.#components.archive,
        read.request,
        protocol.maxMessageSize,
        options,
      ).catch((error: unknown) => {
        throw new MailserverRequestError('archive-failed', 'failed to read the archive', {
          cause: error,
          requestId,
        })
      })
      await this.#send(protocol, peer, read.request.batch, page.bundles, options)
      const complete = {
        requestId: read.requestId,
        lastEnvelopeHash: page.lastEnvelopeHash,
        cursor: page.cursor,
      }
      await protocol
        .sendP2PRequestComplete(peer, requestCompletedPayload(complete), options)
        .catch((error: unknown) => {
          throw new MailserverRequestError('send-failed', 'failed to send request-complete', {
            cause: error,
            requestId,
          })
        })
      metrics.requests.inc({ ...label, result: 'served' })
      metrics.envelopesServed.inc(label, page.envelopes)
      metrics.bytesServed.inc(label, page.bytes)
      const result = {
        requestId: bytesToHex(read.requestId),
        envelopes: page.envelopes,
        bytes: page.bytes,
        cursor: bytesToHex(page.cursor),
      }
      events.safeDispatchEvent('mailserver:served', { ...label, peer, ...result, ms: Date.now() - started })
      return result
    } catch (error) {
      if (!(error instanceof MailserverRequestError)) throw error
      metrics.requests.inc({ ...label, result: error.reason })
      const id = error.requestId ?? requestId
      events.safeDispatchEvent('mailserver:refused', {
        ...label,
        peer,
        reason: error.reason,
        ...(id === undefined ? {} : { requestId: bytesToHex(id) }),
      })
      // status-go answers every refusal it can attribute to a request; a send failure means the peer is gone.
      if (id !== undefined && error.reason !== 'send-failed') {
        const failed = requestFailedPayload({ requestId: id, error: error.message })
        await protocol.sendP2PRequestComplete(peer, failed, options).catch(() => {})
      }
      throw error
    } finally {
      stopTimer()
    }
  }

  /** Runs the retention policy once; resolves with the number of envelopes deleted. */
  async prune(options?: AbortOptions): Promise<number> {
    const deleted = await prune(
      this.#components.archive,
      this.#settings.retention,
      this.#settings.now(),
      options,
    )
    this.#components.metrics.pruned.inc({}, deleted)
    this.#limiter?.sweep(Date.now())
    return deleted
  }

  async #send(
    protocol: V1PrivacyProtocol,
    peer: string,
    batch: boolean,
    bundles: Uint8Array[][],
    options?: AbortOptions,
  ): Promise<void> {
    try {
      for (const bundle of bundles) {
        // status-go sends a batched request's bundle as one packet, else one packet per envelope.
        if (batch) await protocol.sendP2PMessages(peer, bundle, options)
        else for (const envelope of bundle) await protocol.sendP2PMessages(peer, [envelope], options)
      }
    } catch (error) {
      throw new MailserverRequestError('send-failed', 'failed to send envelopes', { cause: error })
    }
  }

  /** The protocol's archiver: one insert per batch; a failure rejects, and the protocol drops the batch. */
  async #archiveBatch(batch: ReadonlyArray<{ envelope: Uint8Array }>): Promise<void> {
    const archived = this.archive(batch.map((detail) => detail.envelope))
    this.#track(archived)
    await archived
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => {}).finally(() => this.#inFlight.delete(tracked))
    this.#inFlight.add(tracked)
  }
}

function hasRetention(policy: MailserverSettings['retention']): boolean {
  return policy.maxAgeSeconds !== undefined || policy.maxCount !== undefined || policy.maxBytes !== undefined
}
