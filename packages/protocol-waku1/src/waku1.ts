/**
 * Waku v1 (`waku/1`) on the devp2p host: envelope validation, the pool, duplicate suppression,
 * relay by each peer's topic interest (or bloom) and pow, Status Updates, and local subscriptions.
 * The envelope rules and the building blocks are Whisper v6's (`@parley/protocol-whisper`); the
 * per-peer handshake lives in `peers.ts`.
 */
import { bytesToHex } from '@parley/crypto'
import {
  decodeEnvelopes,
  type Envelope,
  encodeEnvelopes,
  encodeWakuStatus,
  envelopeHash,
  envelopePow,
  hexToTopic,
  sealEnvelope,
  topicToHex,
  WAKU_MESSAGE_CODES,
  WAKU_PROTOCOL,
  WAKU_VERSION,
  WakuCode,
  type WakuStatusOptions,
} from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Counter,
  type Devp2pHost,
  type Gauge,
  InvalidParametersError,
  type Logger,
  type MessageFilter,
  NotStartedError,
  type ParleyEvents,
  type PrivacyMessage,
  type PrivacyProtocol,
  type PrivacyProtocolEvents,
  type ReceivedMessage,
  type Subscription,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import {
  AcceptancePolicy,
  EnvelopePool,
  ExpiringSet,
  type PooledEnvelope,
  receivedMessage,
  Subscriptions,
} from '@parley/protocol-whisper'
import { TopicInterest } from './interest.ts'
import { bloomOf, topicsOf, type Waku1Settings } from './options.ts'
import type { WakuPeer } from './peer-state.ts'
import { WakuPeers } from './peers.ts'

const SWEEP_INTERVAL_MS = 1000

export interface Waku1Components {
  devp2pHost: Devp2pHost
  logger: Logger
  metrics: { envelopes: Counter; pool: Gauge }
  events: TypedEventTarget<ParleyEvents>
}

export class Waku1 extends TypedEventEmitter<PrivacyProtocolEvents> implements PrivacyProtocol {
  readonly protocol = `${WAKU_PROTOCOL}/${WAKU_VERSION}`
  readonly #components: Waku1Components
  readonly #settings: Waku1Settings
  readonly #log: Logger
  readonly #peers: WakuPeers
  readonly #seen: ExpiringSet<string>
  readonly #pool: EnvelopePool
  readonly #subscriptions = new Subscriptions()
  readonly #policy: AcceptancePolicy
  readonly #interest: TopicInterest
  #started = false
  #sweepTimer: ReturnType<typeof setInterval> | undefined

  constructor(components: Waku1Components, settings: Waku1Settings) {
    super({
      onListenerError: (error) => components.logger.warn('a message:received listener threw: %s', error),
    })
    this.#components = components
    this.#settings = settings
    this.#log = components.logger
    this.#seen = new ExpiringSet(settings.dedupCacheSize)
    this.#pool = new EnvelopePool(settings.dedupCacheSize)
    this.#policy = new AcceptancePolicy(settings)
    this.#interest = new TopicInterest(settings.topicInterest)
    this.#peers = new WakuPeers({
      settings,
      log: components.logger,
      status: () => this.#statusOptions(),
      // A peer that just became ready, or now wants more, gets the pool's live envelopes it wants.
      onReady: (state) => this.#sendTo(state, this.#relayable()),
      onUpdate: (state) => this.#sendTo(state, this.#relayable()),
      onMessages: (state, payload) => this.#onMessages(state, payload),
    })
    components.devp2pHost.registerCapability({
      name: WAKU_PROTOCOL,
      version: WAKU_VERSION,
      length: WAKU_MESSAGE_CODES,
      onPeerConnect: (peer) => this.#peers.onPeerConnect(peer),
      onMessage: (peer, code, payload) => this.#peers.onMessage(peer, code, payload),
      onPeerDisconnect: (peer) => this.#peers.onPeerDisconnect(peer),
    })
  }

  get minPow(): number {
    return this.#policy.minPow
  }

  get bloom(): Uint8Array {
    return this.#policy.bloom.slice()
  }

  /** Our topic interest (hex topics), or `undefined` when the bloom decides. */
  get topicInterest(): string[] | undefined {
    return this.#interest.topics?.map((topic) => topicToHex(topic))
  }

  /** Ids of peers whose Status we have accepted. */
  readyPeers(): string[] {
    return this.#peers.ready().map((state) => state.peer.id)
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError('waku1 start aborted')
    if (this.#started) return
    this.#started = true
    this.#sweepTimer = setInterval(() => this.#sweep(), SWEEP_INTERVAL_MS)
    this.#peers.start()
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    clearInterval(this.#sweepTimer)
    this.#sweepTimer = undefined
    this.#peers.stop()
    this.#pool.clear()
    this.#seen.clear()
    this.#components.metrics.pool.set(0)
  }

  async post(message: PrivacyMessage, options?: AbortOptions): Promise<string> {
    if (!this.#started) throw new NotStartedError('waku1 is not started')
    const topic = hexToTopic(message.topic)
    const ttl = message.ttl ?? this.#settings.ttl
    const pow = message.pow ?? this.#policy.minPow
    if (!Number.isSafeInteger(ttl) || ttl < 1)
      throw new InvalidParametersError(`ttl must be ≥ 1 s, got ${ttl}`)
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    if (20 + message.payload.length > this.#settings.maxMessageSize) {
      throw new InvalidParametersError(`payload over maxMessageSize (${this.#settings.maxMessageSize})`)
    }
    const envelope = await sealEnvelope(
      { topic, data: message.payload, ttl, pow },
      { now: this.#settings.now(), signal: options?.signal },
    )
    if (!this.#started) throw new NotStartedError('waku1 stopped while sealing')
    const hash = `0x${bytesToHex(envelopeHash(envelope))}`
    this.#accept({ hash, envelope, pow: envelopePow(envelope), own: true }, undefined)
    return hash
  }

  async subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription> {
    if (options?.signal?.aborted === true) throw new AbortError('subscribe aborted')
    const topics = filter.topics.map((topic) => topicToHex(hexToTopic(topic)))
    return this.#subscriptions.add(topics, handler)
  }

  /** Changes our pow requirement and sends a Status Update; the old one is accepted for `syncAllowance` s. */
  async setMinPow(pow: number, options?: AbortOptions): Promise<void> {
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    this.#policy.setMinPow(pow)
    await this.#update({ pow }, options)
  }

  /**
   * Changes our bloom filter, drops our topic interest, and sends a Status Update; the old filter is
   * accepted for `syncAllowance` s.
   */
  async setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void> {
    const payload = encodeWakuStatus({ bloom })
    this.#policy.setBloom(bloom)
    this.#interest.set(undefined, this.#graceEnd())
    await this.#tellPeers(payload, options)
  }

  /**
   * Replaces our topic interest (≤ 10 000 topics) and sends a Status Update; the old interest is
   * accepted for `syncAllowance` s. Our bloom follows the topics.
   */
  async setTopicInterest(topics: ReadonlyArray<string | Uint8Array>, options?: AbortOptions): Promise<void> {
    let parsed: Uint8Array[]
    try {
      parsed = topicsOf(topics)
    } catch (error) {
      throw new InvalidParametersError((error as Error).message)
    }
    const bloom = bloomOf(parsed)
    this.#policy.setBloom(bloom)
    this.#interest.set(parsed, this.#graceEnd())
    await this.#update({ bloom, topicInterest: parsed }, options)
  }

  #statusOptions(): WakuStatusOptions {
    const topicInterest = this.#interest.topics
    return {
      pow: this.#policy.minPow,
      bloom: this.#policy.bloom,
      lightNode: this.#settings.lightNode,
      confirmationsEnabled: false,
      ...(topicInterest === undefined ? {} : { topicInterest }),
    }
  }

  async #update(options: WakuStatusOptions, abort?: AbortOptions): Promise<void> {
    await this.#tellPeers(encodeWakuStatus(options), abort)
  }

  async #tellPeers(payload: Uint8Array, options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError('status update aborted')
    const sends = this.#peers
      .ready()
      .map((state) => this.#peers.send(state, WakuCode.statusUpdate, payload, options))
    await Promise.all(sends)
  }

  #graceEnd(): number {
    return this.#settings.now() + this.#settings.syncAllowance
  }

  #onMessages(state: WakuPeer, payload: Uint8Array): void {
    let envelopes: ReturnType<typeof decodeEnvelopes>
    try {
      envelopes = decodeEnvelopes(payload)
    } catch (error) {
      this.#count('decode-error', state)
      this.#peers.violation(state, `undecodable Messages: ${(error as Error).message}`)
      return
    }
    const now = this.#settings.now()
    let violated = false
    for (const envelope of envelopes) {
      const hash = `0x${bytesToHex(envelopeHash(envelope))}`
      state.known.add(hash, envelope.expiry)
      if (this.#seen.has(hash, now)) {
        this.#count('duplicate', state)
        continue
      }
      const verdict = this.#validate(envelope, now)
      if (!verdict.ok) {
        this.#count(verdict.reason, state)
        // A just-expired envelope is dropped silently (as in status-go); every other failure is the peer's fault.
        if (verdict.reason !== 'expired') violated = true
        continue
      }
      this.#accept({ hash, envelope, pow: verdict.pow, own: false }, state)
    }
    if (violated) this.#peers.violation(state, 'invalid envelopes')
  }

  /** `validateEnvelope`'s rules, then our topic interest (with its grace period) when we have one. */
  #validate(envelope: Envelope, now: number): { ok: true; pow: number } | { ok: false; reason: string } {
    const verdict = this.#policy.validate(envelope, now)
    // With a topic interest our bloom is derived from it, so a bloom miss is a topic miss.
    const topicDecides = verdict.ok || verdict.reason === 'bloom-mismatch'
    if (topicDecides && !this.#interest.accepts(envelope.topic, now))
      return { ok: false, reason: 'topic-mismatch' }
    return verdict
  }

  /** A valid new envelope: pool it, deliver it locally, relay it. */
  #accept(entry: PooledEnvelope, from: WakuPeer | undefined): void {
    this.#seen.add(entry.hash, entry.envelope.expiry)
    this.#pool.add(entry)
    this.#components.metrics.pool.set(this.#pool.size)
    if (from !== undefined) this.#count('accepted', from)
    const topic = topicToHex(entry.envelope.topic)
    this.#components.events.safeDispatchEvent('envelope:received', {
      protocol: this.protocol,
      hash: entry.hash,
      topic,
      from: from?.peer.id,
    })
    if (this.#subscriptions.wants(topic)) {
      const message = receivedMessage(entry, topic, from?.peer.id)
      this.safeDispatchEvent('message:received', message)
      this.#subscriptions.deliver(message, (error) =>
        this.#log.warn('a subscription handler threw: %s', error),
      )
    }
    if (from !== undefined && this.#settings.lightNode) return
    for (const state of this.#peers.ready()) if (state !== from) this.#sendTo(state, [entry])
  }

  /** Sends the entries this peer wants (topic interest or bloom, and pow) and has not seen, as one packet. */
  #sendTo(state: WakuPeer, entries: Iterable<PooledEnvelope>): void {
    if (!state.ready) return
    const now = this.#settings.now()
    const wanted = []
    for (const entry of entries) {
      if (state.known.has(entry.hash, now) || entry.pow < state.pow) continue
      if (!state.wants(entry.envelope.topic)) continue
      state.known.add(entry.hash, entry.envelope.expiry)
      wanted.push(entry.envelope)
    }
    if (wanted.length > 0) void this.#peers.send(state, WakuCode.messages, encodeEnvelopes(wanted))
  }

  #count(result: string, from: WakuPeer): void {
    this.#components.metrics.envelopes.inc({ result })
    if (result !== 'accepted' && result !== 'duplicate') {
      this.#components.events.safeDispatchEvent('envelope:rejected', {
        protocol: this.protocol,
        reason: result,
        from: from.peer.id,
      })
    }
  }

  /** What we pass on: everything, or for a light node only what it sealed itself. */
  #relayable(): PooledEnvelope[] {
    return [...this.#pool.values()].filter((entry) => entry.own || !this.#settings.lightNode)
  }

  #sweep(): void {
    const now = this.#settings.now()
    this.#seen.sweep(now)
    this.#pool.sweep(now)
    for (const state of this.#peers.ready()) state.known.sweep(now)
    this.#components.metrics.pool.set(this.#pool.size)
  }
}
