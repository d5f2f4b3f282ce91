/** `WakuRelay`: 11/WAKU2-RELAY as a `PrivacyProtocol` over the libp2p host's gossipsub router. */
import type { GossipSub, GossipSubComponents, GossipsubMessage } from '@chainsafe/libp2p-gossipsub'
import { bytesToHex } from '@parley/crypto'
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  type Logger,
  type MessageFilter,
  NotStartedError,
  type ParleyEvents,
  type ReceivedMessage,
  type Subscription,
  TypedEventEmitter,
  type TypedEventTarget,
  type WakuPublishResult,
  type WakuRelayEvents,
  type WakuRelayService,
} from '@parley/interfaces'
import {
  computeMessageHash,
  contentTopicToPubsubTopic,
  decodeWakuMessage,
  parsePubsubTopic,
  type WakuMessage,
} from '@parley/protocol-waku2'
import type { Libp2pServiceFactory } from '@parley/transport-libp2p'
import { RELAY_TOPIC_SCORE_PARAMS } from './constants.ts'
import { RelayRejectedError } from './errors.ts'
import { RELAY_SERVICE, relayGossipsub, type TopicValidatorResult } from './gossipsub.ts'
import type { RelayMetrics } from './metrics.ts'
import type { RelaySettings, WakuRelayInit } from './options.ts'
import { encodeForRelay, publishOnRouter, type WakuRelayMessage } from './publish.ts'
import { receivedMessage, type WakuReceivedMessage } from './received.ts'
import { subscriberOf } from './subscribers.ts'
import { RelaySubscriptions } from './subscriptions.ts'
import { validateRelayMessage } from './validator.ts'

export type { WakuReceivedMessage, WakuRelayMessage }

/** What the relay needs of the libp2p host: its peer id and a service slot before start. */
export interface RelayHost {
  readonly peerId: string
  addService(name: string, factory: Libp2pServiceFactory): void
}

export interface WakuRelayComponents {
  host: RelayHost
  logger: Logger
  metrics: RelayMetrics
  events: TypedEventTarget<ParleyEvents>
}

const ACCEPT = 'accept' as TopicValidatorResult
const REJECT = 'reject' as TopicValidatorResult

/** `topic` when it is a `/waku/2/…` pubsub topic; throws `InvalidParametersError` otherwise. */
function checked<Topic extends string | undefined>(topic: Topic): Topic {
  if (topic !== undefined) parsePubsubTopic(topic)
  return topic
}

export class WakuRelay extends TypedEventEmitter<WakuRelayEvents> implements WakuRelayService {
  readonly protocol = 'waku2'
  readonly #components: WakuRelayComponents
  readonly #settings: RelaySettings
  readonly #subscriptions = new RelaySubscriptions()
  /** pubsub topics the router is subscribed to, with our validator installed */
  readonly #joined = new Set<string>()
  #router: GossipSub | undefined
  /** the router the host built last (each host start builds one) */
  #built: GossipSub | undefined

  constructor(
    components: WakuRelayComponents,
    settings: RelaySettings,
    init: Pick<WakuRelayInit, 'gossipsub'> = {},
  ) {
    super({ onListenerError: (error) => components.logger.warn(`message listener failed: ${String(error)}`) })
    this.#components = components
    this.#settings = settings
    // libp2p builds its services at node creation, so the router is contributed now, before start;
    // keeping the instance it builds spares reaching into the host's node.
    const build = relayGossipsub(init.gossipsub)
    const factory = (libp2pComponents: GossipSubComponents): GossipSub => {
      this.#built = build(libp2pComponents)
      return this.#built
    }
    components.host.addService(RELAY_SERVICE, factory as Libp2pServiceFactory)
  }

  isStarted(): boolean {
    return this.#router !== undefined
  }

  /** The pubsub topics relayed now: the configured ones and those local subscriptions added. */
  pubsubTopics(): string[] {
    return [...this.#joined]
  }

  /** The running gossipsub router (mesh peers, scores), for diagnostics. */
  get router(): GossipSub {
    if (this.#router === undefined) throw new NotStartedError('waku2 relay is not started')
    return this.#router
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) throw new AbortError('waku2 relay start aborted')
    if (this.#router !== undefined) return
    const router = this.#built
    if (router === undefined) throw new NotStartedError('the libp2p host has not built the relay router yet')
    this.#router = router
    router.addEventListener('gossipsub:message', this.#onMessage)
    for (const topic of [...this.#settings.pubsubTopics, ...this.#subscriptions.pubsubTopics()])
      this.#join(topic)
  }

  async stop(): Promise<void> {
    const router = this.#router
    if (router === undefined) return
    for (const topic of [...this.#joined]) this.#leave(topic)
    router.removeEventListener('gossipsub:message', this.#onMessage)
    this.#router = undefined
  }

  /**
   * Resolves once some peer relays `pubsubTopic` (default: the first configured one), so a post will
   * reach the network; js-waku's `waitForRemotePeer` for relay. Honours `signal`.
   */
  async waitForPeers(pubsubTopic?: string, options: AbortOptions = {}): Promise<void> {
    const topic = pubsubTopic ?? this.#settings.pubsubTopics[0]
    if (topic === undefined) throw new InvalidParametersError('waitForPeers needs a pubsub topic')
    await subscriberOf(this.router, topic, options)
  }

  /**
   * Publishes a WakuMessage (`topic` is its content topic) on `message.pubsubTopic`, else the
   * autosharded or default pubsub topic. Resolves with the 14/WAKU2-MESSAGE hash (`0x…`) once the
   * router has sent it; it is also delivered to local subscribers (nwaku's `triggerSelf`).
   * Throws `LimitExceededError` above `maxMessageSize`, `InvalidParametersError` for fields the wire
   * cannot carry.
   */
  async post(message: WakuRelayMessage, options: AbortOptions = {}): Promise<string> {
    const router = this.router
    if (options.signal?.aborted === true) throw new AbortError('waku2 relay post aborted')
    const pubsubTopic = checked(message.pubsubTopic) ?? this.#pubsubTopicOf(message.topic)
    const { wakuMessage, data } = encodeForRelay(message, this.#settings.maxMessageSize)
    return (await this.#publish(router, pubsubTopic, data, wakuMessage)).hash
  }

  /**
   * Publishes `bytes`, a serialized WakuMessage, unchanged on `pubsubTopic` after the checks a
   * received message passes. Throws `RelayRejectedError` (its `reason`: oversize, undecodable,
   * timestamp-old, timestamp-future) and `InvalidParametersError` for a malformed pubsub topic.
   * A message gossipsub has already seen resolves with `duplicate: true` and no recipients.
   */
  async publishMessage(
    pubsubTopic: string,
    bytes: Uint8Array,
    options: AbortOptions = {},
  ): Promise<WakuPublishResult> {
    const router = this.router
    if (options.signal?.aborted === true) throw new AbortError('waku2 relay publish aborted')
    checked(pubsubTopic)
    const validation = validateRelayMessage(bytes, this.#settings)
    if (!validation.valid) throw new RelayRejectedError(validation.reason)
    return this.#publish(router, pubsubTopic, bytes, validation.message)
  }

  /** The pubsub topic a message on `contentTopic` goes to: autosharding's, else the first configured. */
  pubsubTopicFor(contentTopic: string): string {
    return this.#pubsubTopicOf(contentTopic)
  }

  #publish(router: GossipSub, pubsubTopic: string, data: Uint8Array, message: WakuMessage) {
    const { host, metrics } = this.#components
    return publishOnRouter({ router, self: host.peerId, metrics }, pubsubTopic, data, message)
  }

  /**
   * Calls `handler` for each message on `filter.topics` (content topics; empty means all of
   * `filter.pubsubTopic`), relaying the pubsub topics they map to while any subscription needs them.
   */
  async subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options: AbortOptions = {},
  ): Promise<Subscription> {
    if (options.signal?.aborted === true) throw new AbortError('waku2 relay subscribe aborted')
    const topics = new Map<string, string[]>()
    if (filter.pubsubTopic !== undefined) topics.set(checked(filter.pubsubTopic), [...filter.topics])
    else if (filter.topics.length === 0)
      throw new InvalidParametersError('subscribe needs content topics or a pubsub topic')
    else
      for (const contentTopic of filter.topics) {
        const pubsubTopic = this.#pubsubTopicOf(contentTopic)
        topics.set(pubsubTopic, [...(topics.get(pubsubTopic) ?? []), contentTopic])
      }
    const remove = this.#subscriptions.add(topics, handler)
    if (this.#router !== undefined) for (const topic of topics.keys()) this.#join(topic)
    return {
      unsubscribe: async () => {
        remove()
        for (const topic of topics.keys()) {
          if (!this.#subscriptions.has(topic) && !this.#settings.pubsubTopics.includes(topic))
            this.#leave(topic)
        }
      },
    }
  }

  #pubsubTopicOf(contentTopic: string): string {
    const { autosharding, pubsubTopics } = this.#settings
    if (autosharding !== undefined) return contentTopicToPubsubTopic(contentTopic, autosharding)
    const [first] = pubsubTopics
    if (first === undefined) throw new InvalidParametersError('no pubsub topic for this message')
    return first
  }

  #join(topic: string): void {
    const router = this.#router
    if (router === undefined || this.#joined.has(topic)) return
    router.topicValidators.set(topic, this.#validate)
    // nwaku sets its topic score parameters per subscribed topic; gossipsub reads them live.
    router.score.params.topics[topic] = RELAY_TOPIC_SCORE_PARAMS
    router.subscribe(topic)
    this.#joined.add(topic)
  }

  #leave(topic: string): void {
    const router = this.#router
    if (router === undefined || !this.#joined.delete(topic)) return
    router.unsubscribe(topic)
    router.topicValidators.delete(topic)
    delete router.score.params.topics[topic]
  }

  readonly #validate = (
    peer: { toString(): string },
    message: { data: Uint8Array },
  ): TopicValidatorResult => {
    const result = validateRelayMessage(message.data, this.#settings)
    if (result.valid) return ACCEPT
    this.#components.metrics.rejected.inc({ reason: result.reason })
    this.#components.events.safeDispatchEvent('envelope:rejected', {
      protocol: this.protocol,
      reason: result.reason,
      from: peer.toString(),
    })
    return REJECT
  }

  readonly #onMessage = (event: CustomEvent<GossipsubMessage>): void => {
    const { propagationSource, msg } = event.detail
    const pubsubTopic = msg.topic
    let wakuMessage: WakuMessage
    try {
      // Already validated (or our own); a failure here is a bug, never a crash.
      wakuMessage = decodeWakuMessage(msg.data, {
        maxSize: Math.max(this.#settings.maxMessageSize, msg.data.length),
      })
    } catch (error) {
      this.#components.logger.warn(`undecodable message passed validation: ${String(error)}`)
      return
    }
    const from = propagationSource.toString()
    const own = from === this.#components.host.peerId
    if (!own) {
      this.#components.metrics.received.inc({ pubsub_topic: pubsubTopic })
      this.#components.metrics.bytes.inc(
        { pubsub_topic: pubsubTopic, direction: 'in' },
        msg.data.length + pubsubTopic.length,
      )
    }
    const hash = `0x${bytesToHex(computeMessageHash(pubsubTopic, wakuMessage))}`
    const received = receivedMessage(pubsubTopic, wakuMessage, hash, own ? undefined : from)
    this.#components.events.safeDispatchEvent('envelope:received', {
      protocol: this.protocol,
      hash,
      topic: received.topic,
      ...(own ? {} : { from }),
    })
    this.safeDispatchEvent('message:relayed', {
      pubsubTopic,
      bytes: msg.data,
      hash,
      ...(own ? {} : { from }),
    })
    this.safeDispatchEvent('message:received', received)
    this.#subscriptions.deliver(received, (error) =>
      this.#components.logger.warn(`subscription handler failed: ${String(error)}`),
    )
  }
}
