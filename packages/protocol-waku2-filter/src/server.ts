/**
 * `WakuFilterServer`: answers FilterSubscribeRequests on filter-subscribe and pushes every message
 * the relay accepts (or publishes) to the peers subscribed to its pubsub and content topic.
 */
import {
  AbortError,
  type AbortOptions,
  DecodeError,
  type Logger,
  NotStartedError,
  type WakuFilterService,
  type WakuRelayService,
} from '@parley/interfaces'
import {
  abortStream,
  decodeWakuMessage,
  openStream,
  PeerRateLimiter,
  ServedRequest,
  type ServiceHost,
  type ServiceStream,
} from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import { FILTER_PUSH_CODEC, FILTER_SUBSCRIBE_CODEC, FilterStatus, UNKNOWN_REQUEST_ID } from './constants.ts'
import type { FilterServerMetrics } from './metrics.ts'
import type { FilterServerSettings } from './options.ts'
import { failure, handleFilterRequest } from './requests.ts'
import {
  decodeFilterSubscribeRequest,
  encodeFilterSubscribeResponse,
  encodeMessagePush,
  type FilterSubscribeResponse,
} from './rpc.ts'
import { FilterSubscriptions } from './subscriptions.ts'

/** What the filter needs of the relay: every message it validated (or published), as wire bytes. */
export type FilterRelay = Pick<WakuRelayService, 'addEventListener' | 'removeEventListener'>

type RelayedEvent = CustomEvent<{ pubsubTopic: string; bytes: Uint8Array }>

export interface WakuFilterServerComponents {
  host: ServiceHost
  relay: FilterRelay
  logger: Logger
  metrics: FilterServerMetrics
  now?: () => number
}

const REQUEST_TYPES = ['ping', 'subscribe', 'unsubscribe', 'unsubscribe_all']

export class WakuFilterServer implements WakuFilterService {
  readonly #components: WakuFilterServerComponents
  readonly #settings: FilterServerSettings
  readonly subscriptions: FilterSubscriptions
  readonly #limiter: PeerRateLimiter
  /** pushes waiting per subscriber; a peer is present while its queue drains */
  readonly #queues = new Map<string, Uint8Array[]>()
  #started = false
  #stopping = new AbortController()
  #maintenance: ReturnType<typeof setInterval> | undefined

  constructor(components: WakuFilterServerComponents, settings: FilterServerSettings) {
    this.#components = components
    this.#settings = settings
    const now = components.now ?? Date.now
    this.subscriptions = new FilterSubscriptions(
      {
        maxPeers: settings.maxPeers,
        maxCriteriaPerPeer: settings.maxCriteriaPerPeer,
        timeoutMs: settings.subscriptionTimeoutMs,
      },
      now,
    )
    this.#limiter = new PeerRateLimiter(settings.rateLimit, now)
  }

  isStarted(): boolean {
    return this.#started
  }

  /** Ids of the peers holding a subscription here. */
  subscriberPeers(): string[] {
    return this.subscriptions.peers()
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) throw new AbortError('waku2 filter start aborted')
    if (this.#started) return
    this.#started = true
    this.#stopping = new AbortController()
    this.#components.relay.addEventListener('message:relayed', this.#onRelayed)
    this.#maintenance = setInterval(() => this.maintain(), this.#settings.maintenanceIntervalMs)
    this.#maintenance.unref?.()
    await this.#components.host.handle(FILTER_SUBSCRIBE_CODEC, (stream, peer) =>
      this.#serve(stream as ServiceStream, peer),
    )
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    clearInterval(this.#maintenance)
    this.#stopping.abort(new AbortError('waku2 filter stopped'))
    for (const queue of this.#queues.values()) queue.length = 0
    this.#components.relay.removeEventListener('message:relayed', this.#onRelayed)
    await this.#components.host.unhandle(FILTER_SUBSCRIBE_CODEC)
  }

  /** Drops lapsed subscriptions and idle rate-limit buckets (runs every `maintenanceIntervalMs`). */
  maintain(): void {
    this.subscriptions.prune()
    this.#limiter.prune()
    this.#components.metrics.subscribers.set(this.subscriptions.peerCount)
  }

  async #serve(stream: ServiceStream, peer: string): Promise<void> {
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.#settings.requestTimeoutMs),
      this.#stopping.signal,
    ])
    const served = new ServedRequest(stream, this.#settings.maxRequestSize)
    const response = await this.#answer(served, peer, signal)
    if (response === undefined) {
      served.abort(new Error('filter request unreadable'))
      return
    }
    this.#components.metrics.responses.inc({ status_code: response.statusCode })
    try {
      await served.reply(encodeFilterSubscribeResponse(response), { signal })
    } catch {
      this.#components.metrics.errors.inc({ type: 'write_failure' })
    }
  }

  /** The response to the request `served`; undefined when the stream failed before one arrived. */
  async #answer(
    served: ServedRequest,
    peer: string,
    signal: AbortSignal,
  ): Promise<FilterSubscribeResponse | undefined> {
    const { metrics } = this.#components
    if (!this.#limiter.take(peer)) {
      // As nwaku: the request is not even read, so its id is unknown.
      metrics.errors.inc({ type: 'rate_limited' })
      return {
        requestId: UNKNOWN_REQUEST_ID,
        ...failure(FilterStatus.TOO_MANY_REQUESTS, 'filter request rejected due rate limit exceeded'),
      }
    }
    const bytes = await served.read({ signal })
    if (bytes === undefined) {
      metrics.errors.inc({ type: 'read_failure' })
      return undefined
    }
    if (bytes === 'oversize') {
      metrics.errors.inc({ type: 'oversize_request' })
      return {
        requestId: UNKNOWN_REQUEST_ID,
        ...failure(FilterStatus.BAD_REQUEST, 'request exceeds the size limit'),
      }
    }
    return this.#respond(peer, bytes)
  }

  #respond(peer: string, bytes: Uint8Array): FilterSubscribeResponse {
    const { metrics } = this.#components
    let request: ReturnType<typeof decodeFilterSubscribeRequest>
    try {
      request = decodeFilterSubscribeRequest(bytes)
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error
      metrics.errors.inc({ type: 'decode_rpc_failure' })
      return {
        requestId: UNKNOWN_REQUEST_ID,
        ...failure(FilterStatus.BAD_REQUEST, `decode_rpc_failure: ${error.message}`),
      }
    }
    metrics.requests.inc({ type: REQUEST_TYPES[request.filterSubscribeType] ?? 'unknown' })
    if (request.requestId === '')
      return { requestId: UNKNOWN_REQUEST_ID, ...failure(FilterStatus.BAD_REQUEST, 'request_id is required') }
    const outcome = handleFilterRequest(
      this.subscriptions,
      peer,
      request,
      this.#settings.maxContentTopicsPerRequest,
    )
    metrics.subscribers.set(this.subscriptions.peerCount)
    return { requestId: request.requestId, ...outcome }
  }

  readonly #onRelayed = (event: RelayedEvent): void => {
    // Most relayed messages concern nobody here; skip decoding them when nobody subscribes.
    if (this.subscriptions.peerCount === 0) return
    const { pubsubTopic: topic, bytes: data } = event.detail
    let contentTopic: string
    try {
      // The relay validated it already; decoding only finds its content topic.
      contentTopic = decodeWakuMessage(data, { maxSize: data.length }).contentTopic
    } catch {
      return
    }
    const peers = this.subscriptions.subscribers(topic, contentTopic)
    if (peers.length === 0) return
    const push = encodeMessagePush(topic, data)
    for (const peer of peers) this.#enqueue(peer, push)
  }

  /** Queues `push` for `peer`; each subscriber's pushes go one at a time, in relay order. */
  #enqueue(peer: string, push: Uint8Array): void {
    const queue = this.#queues.get(peer) ?? []
    if (queue.length >= this.#settings.maxQueuedPushesPerPeer) {
      this.#components.metrics.errors.inc({ type: 'push_dropped' })
      return
    }
    queue.push(push)
    if (this.#queues.has(peer)) return
    this.#queues.set(peer, queue)
    void this.#drain(peer, queue)
  }

  async #drain(peer: string, queue: Uint8Array[]): Promise<void> {
    for (let push = queue.shift(); push !== undefined; push = queue.shift()) await this.#push(peer, push)
    this.#queues.delete(peer)
  }

  async #push(peer: string, push: Uint8Array): Promise<void> {
    const { metrics, host } = this.#components
    const timeout = AbortSignal.timeout(this.#settings.pushTimeoutMs)
    const signal = AbortSignal.any([timeout, this.#stopping.signal])
    try {
      if (!this.#started) throw new NotStartedError('no longer pushing')
      // By id: libp2p redials a subscriber that dropped from the addresses identify gave it.
      const stream = await openStream(host, peer, FILTER_PUSH_CODEC, { signal })
      try {
        await lpStream(stream).write(push, { signal })
        await stream.close({ signal })
      } catch (error) {
        abortStream(stream, error)
        throw error
      }
      metrics.pushes.inc()
    } catch (error) {
      metrics.errors.inc({ type: timeout.aborted ? 'push_timeout' : 'push_failure' })
      this.#components.logger.debug(`filter push to ${peer} failed: ${String(error)}`)
    }
  }
}
