/**
 * `WakuFilterClient`: subscribes at a filter service peer and serves filter-push, handing each
 * pushed message to the subscriptions that asked for it from that peer.
 */
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  type Logger,
  NotStartedError,
  type WakuFilterClientService,
  type WakuFilterMessage,
} from '@parley/interfaces'
import {
  computeMessageHash,
  isValidContentTopic,
  parsePubsubTopic,
  peerIdOf,
  type ServiceHost,
  type ServiceStream,
  type WakuMessage,
} from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import {
  FILTER_PUSH_CODEC,
  FilterStatus,
  FilterSubscribeType,
  MAX_CONTENT_TOPICS_PER_REQUEST,
} from './constants.ts'
import { FilterRequestError } from './errors.ts'
import type { FilterClientMetrics } from './metrics.ts'
import type { FilterClientSettings } from './options.ts'
import { sendFilterRequest } from './request.ts'
import { decodeMessagePush, type FilterSubscribeRequest } from './rpc.ts'

/** A pushed message; `from` is the service peer that pushed it, `message` the WakuMessage as pushed. */
export type FilterReceivedMessage = WakuFilterMessage

export type FilterMessageHandler = (message: FilterReceivedMessage) => void

export interface FilterSubscription {
  /** the service peer's id */
  readonly peer: string
  readonly pubsubTopic: string
  readonly contentTopics: readonly string[]
  /** Asks the service whether it still holds our subscription; throws `FilterRequestError` (404) if not. */
  ping(options?: AbortOptions): Promise<void>
  /** Unsubscribes this subscription's content topics (those no other local subscription needs). */
  unsubscribe(options?: AbortOptions): Promise<void>
  /** Ends every subscription this node holds at the service peer. */
  unsubscribeAll(options?: AbortOptions): Promise<void>
}

export interface WakuFilterClientComponents {
  host: ServiceHost
  logger: Logger
  metrics: FilterClientMetrics
}

interface Registration {
  pubsubTopic: string
  contentTopics: ReadonlySet<string>
  handler: FilterMessageHandler
}

interface ServicePeer {
  id: string
  registrations: Set<Registration>
  keepAlive: ReturnType<typeof setInterval> | undefined
}

const NS_PER_MS = 1_000_000n

export class WakuFilterClient implements WakuFilterClientService {
  readonly #components: WakuFilterClientComponents
  readonly #settings: FilterClientSettings
  readonly #peers = new Map<string, ServicePeer>()
  #started = false

  constructor(components: WakuFilterClientComponents, settings: FilterClientSettings) {
    this.#components = components
    this.#settings = settings
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) throw new AbortError('waku2 filter client start aborted')
    if (this.#started) return
    // Marked first, so a concurrent start returns instead of registering twice.
    this.#started = true
    await this.#components.host.handle(FILTER_PUSH_CODEC, (stream, peer) =>
      this.#receive(stream as ServiceStream, peer),
    )
  }

  /** Forgets every subscription locally (services let them lapse) and stops serving filter-push. */
  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    for (const peer of this.#peers.values()) clearInterval(peer.keepAlive)
    this.#peers.clear()
    await this.#components.host.unhandle(FILTER_PUSH_CODEC)
  }

  /**
   * Subscribes at `peer` (a multiaddr ending in `/p2p/<id>`, or the id of a connected peer) to
   * `contentTopics` on `pubsubTopic`; `handler` gets each message that peer pushes for them.
   * Throws `InvalidParametersError` for bad topics, `FilterRequestError` when the service refuses.
   */
  async filterSubscribe(
    peer: string,
    pubsubTopic: string,
    contentTopics: readonly string[],
    handler: FilterMessageHandler,
    options: AbortOptions = {},
  ): Promise<FilterSubscription> {
    if (!this.#started) throw new NotStartedError('waku2 filter client is not started')
    checkCriteria(pubsubTopic, contentTopics)
    const id = peerIdOf(this.#components.host, peer, options)
    const topics = [...new Set(contentTopics)]
    // The first request goes to `peer` itself, so a multiaddr is dialled; later ones go by id.
    await this.#request(
      peer,
      { filterSubscribeType: FilterSubscribeType.SUBSCRIBE, pubsubTopic, contentTopics: topics },
      options,
    )
    const registration: Registration = { pubsubTopic, contentTopics: new Set(topics), handler }
    const service = this.#service(id)
    service.registrations.add(registration)
    const peerId = id
    return {
      peer: peerId,
      pubsubTopic,
      contentTopics: topics,
      ping: (opts) => this.ping(peerId, opts),
      unsubscribeAll: (opts) => this.unsubscribeAll(peerId, opts),
      unsubscribe: async (opts = {}) => {
        if (!service.registrations.delete(registration)) return
        const stillWanted = new Set(
          [...service.registrations]
            .filter((other) => other.pubsubTopic === pubsubTopic)
            .flatMap((other) => [...other.contentTopics]),
        )
        const released = topics.filter((topic) => !stillWanted.has(topic))
        if (service.registrations.size === 0) this.#forget(peerId)
        if (released.length > 0)
          await this.#request(
            id,
            { filterSubscribeType: FilterSubscribeType.UNSUBSCRIBE, pubsubTopic, contentTopics: released },
            opts,
          )
      },
    }
  }

  /** SUBSCRIBER_PING at `peer` (a connected peer id); throws `FilterRequestError` 404 when it holds nothing for us. */
  async ping(peer: string, options: AbortOptions = {}): Promise<void> {
    peerIdOf(this.#components.host, peer, options)
    await this.#request(
      peer,
      { filterSubscribeType: FilterSubscribeType.SUBSCRIBER_PING, contentTopics: [] },
      options,
    )
  }

  /** UNSUBSCRIBE_ALL at `peer`; local subscriptions with it end too. */
  async unsubscribeAll(peer: string, options: AbortOptions = {}): Promise<void> {
    this.#forget(peerIdOf(this.#components.host, peer, options))
    await this.#request(
      peer,
      { filterSubscribeType: FilterSubscribeType.UNSUBSCRIBE_ALL, contentTopics: [] },
      options,
    )
  }

  #service(id: string): ServicePeer {
    const key = id
    const existing = this.#peers.get(key)
    if (existing !== undefined) return existing
    const service: ServicePeer = { id, registrations: new Set(), keepAlive: undefined }
    if (this.#settings.keepAliveMs > 0) {
      service.keepAlive = setInterval(() => void this.#keepAlive(service), this.#settings.keepAliveMs)
      service.keepAlive.unref?.()
    }
    this.#peers.set(key, service)
    return service
  }

  #forget(peer: string): void {
    clearInterval(this.#peers.get(peer)?.keepAlive)
    this.#peers.delete(peer)
  }

  /** Pings; when the service has lost our subscription (404, say after a restart), subscribes again. */
  async #keepAlive(service: ServicePeer): Promise<void> {
    try {
      await this.#request(
        service.id,
        { filterSubscribeType: FilterSubscribeType.SUBSCRIBER_PING, contentTopics: [] },
        {},
      )
    } catch (error) {
      if (!(error instanceof FilterRequestError && error.statusCode === FilterStatus.NOT_FOUND)) {
        this.#components.logger.debug(`filter keep-alive ping failed: ${String(error)}`)
        return
      }
      const byTopic = new Map<string, Set<string>>()
      for (const { pubsubTopic, contentTopics } of service.registrations)
        byTopic.set(pubsubTopic, new Set([...(byTopic.get(pubsubTopic) ?? []), ...contentTopics]))
      for (const [pubsubTopic, topics] of byTopic)
        for (let start = 0; start < topics.size; start += MAX_CONTENT_TOPICS_PER_REQUEST)
          await this.#request(
            service.id,
            {
              filterSubscribeType: FilterSubscribeType.SUBSCRIBE,
              pubsubTopic,
              contentTopics: [...topics].slice(start, start + MAX_CONTENT_TOPICS_PER_REQUEST),
            },
            {},
          ).catch((cause: unknown) =>
            this.#components.logger.debug(`filter resubscribe failed: ${String(cause)}`),
          )
    }
  }

  #request(
    peer: string,
    fields: Omit<FilterSubscribeRequest, 'requestId'>,
    options: AbortOptions,
  ): Promise<void> {
    const { host, metrics } = this.#components
    return sendFilterRequest(host, peer, fields, {
      signal: options.signal ?? AbortSignal.timeout(this.#settings.requestTimeoutMs),
      caller: options.signal,
      metrics,
    })
  }

  /** Reads pushes until the service closes the stream (nwaku keeps one open; others send one per stream). */
  async #receive(stream: ServiceStream, from: string): Promise<void> {
    const framed = lpStream(stream, { maxDataLength: this.#settings.maxPushSize })
    for (;;) {
      let bytes: Uint8Array
      try {
        bytes = (await framed.read()).subarray()
      } catch {
        stream.abort(new Error('filter push stream ended'))
        return
      }
      this.#deliver(from, bytes)
    }
  }

  #deliver(from: string, bytes: Uint8Array): void {
    const { metrics, logger } = this.#components
    let push: ReturnType<typeof decodeMessagePush>
    try {
      push = decodeMessagePush(bytes)
    } catch (error) {
      metrics.pushes.inc({ result: 'undecodable' })
      logger.debug(`undecodable filter push from ${from}: ${String(error)}`)
      return
    }
    const { wakuMessage, pubsubTopic } = push
    const handlers = [...(this.#peers.get(from)?.registrations ?? [])].filter(
      (registration) =>
        registration.pubsubTopic === pubsubTopic && registration.contentTopics.has(wakuMessage.contentTopic),
    )
    if (pubsubTopic === undefined || handlers.length === 0) {
      metrics.pushes.inc({ result: 'unsolicited' })
      return
    }
    metrics.pushes.inc({ result: 'delivered' })
    const message = received(pubsubTopic, wakuMessage, from)
    for (const { handler } of handlers) {
      try {
        handler(message)
      } catch (error) {
        logger.warn(`filter subscription handler failed: ${String(error)}`)
      }
    }
  }
}

function checkCriteria(pubsubTopic: string, contentTopics: readonly string[]): void {
  parsePubsubTopic(pubsubTopic)
  if (contentTopics.length === 0 || contentTopics.length > MAX_CONTENT_TOPICS_PER_REQUEST)
    throw new InvalidParametersError(
      `a filter subscription needs 1..${MAX_CONTENT_TOPICS_PER_REQUEST} content topics`,
    )
  const bad = contentTopics.find((topic) => !isValidContentTopic(topic))
  if (bad !== undefined) throw new InvalidParametersError(`invalid content topic: ${bad}`)
}

function received(pubsubTopic: string, message: WakuMessage, from: string): FilterReceivedMessage {
  const timestamp = message.timestamp ?? 0n
  return {
    topic: message.contentTopic,
    payload: message.payload,
    pubsubTopic,
    hash: `0x${Buffer.from(computeMessageHash(pubsubTopic, message)).toString('hex')}`,
    timestamp: timestamp > 0n ? Number(timestamp / NS_PER_MS) : Date.now(),
    from,
    message,
    ...(message.ephemeral === undefined ? {} : { ephemeral: message.ephemeral }),
    ...(message.version === undefined ? {} : { version: message.version }),
    ...(message.meta === undefined ? {} : { meta: message.meta }),
  }
}
