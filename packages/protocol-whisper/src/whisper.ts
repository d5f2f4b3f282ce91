/**
 * Whisper v6 (`shh/6`) on the devp2p host: envelope validation, the pool, duplicate suppression,
 * relay by each peer's bloom filter and pow, and local subscriptions. The per-peer handshake and
 * violation counting live in `peers.ts`.
 */
import { bytesToHex } from '@parley/crypto'
import {
  bloomMatches,
  decodeEnvelopes,
  encodeBloomFilter,
  encodeEnvelopes,
  encodePowRequirement,
  envelopeHash,
  envelopePow,
  hexToTopic,
  sealEnvelope,
  topicToBloom,
  topicToHex,
  WHISPER_MESSAGE_CODES,
  WHISPER_PROTOCOL,
  WHISPER_VERSION,
  WhisperCode,
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
import { AcceptancePolicy } from './acceptance.ts'
import { ExpiringSet } from './expiring-set.ts'
import type { WhisperSettings } from './options.ts'
import type { WhisperPeer } from './peer-state.ts'
import { WhisperPeers } from './peers.ts'
import { EnvelopePool, type PooledEnvelope, receivedMessage } from './pool.ts'
import { Subscriptions } from './subscriptions.ts'

const SWEEP_INTERVAL_MS = 1000

export interface WhisperComponents {
  devp2pHost: Devp2pHost
  logger: Logger
  metrics: { envelopes: Counter; pool: Gauge }
  events: TypedEventTarget<ParleyEvents>
}

export class Whisper extends TypedEventEmitter<PrivacyProtocolEvents> implements PrivacyProtocol {
  readonly protocol = `${WHISPER_PROTOCOL}/${WHISPER_VERSION}`
  readonly #components: WhisperComponents
  readonly #settings: WhisperSettings
  readonly #log: Logger
  readonly #peers: WhisperPeers
  readonly #seen: ExpiringSet<string>
  readonly #pool: EnvelopePool
  readonly #subscriptions = new Subscriptions()
  #started = false
  #sweepTimer: ReturnType<typeof setInterval> | undefined
  readonly #policy: AcceptancePolicy

  constructor(components: WhisperComponents, settings: WhisperSettings) {
    super({
      onListenerError: (error) => components.logger.warn('a message:received listener threw: %s', error),
    })
    this.#components = components
    this.#settings = settings
    this.#log = components.logger
    this.#seen = new ExpiringSet(settings.dedupCacheSize)
    this.#pool = new EnvelopePool(settings.dedupCacheSize)
    this.#policy = new AcceptancePolicy(settings)
    this.#peers = new WhisperPeers({
      settings,
      log: components.logger,
      status: () => ({ pow: this.#policy.minPow, bloom: this.#policy.bloom }),
      // A peer that just became ready gets the pool's live envelopes it wants.
      onReady: (state) => this.#sendTo(state, this.#relayable()),
      onMessages: (state, payload) => this.#onMessages(state, payload),
    })
    components.devp2pHost.registerCapability({
      name: WHISPER_PROTOCOL,
      version: WHISPER_VERSION,
      length: WHISPER_MESSAGE_CODES,
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

  /** Ids of peers whose Status we have accepted. */
  readyPeers(): string[] {
    return this.#peers.ready().map((state) => state.peer.id)
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError('whisper start aborted')
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
    if (!this.#started) throw new NotStartedError('whisper is not started')
    const topic = hexToTopic(message.topic)
    const ttl = message.ttl ?? this.#settings.ttl
    const pow = message.pow ?? this.#policy.minPow
    if (!Number.isSafeInteger(ttl) || ttl < 1)
      throw new InvalidParametersError(`ttl must be ≥ 1 s, got ${ttl}`)
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    if (20 + message.payload.length > this.#settings.maxMessageSize) {
      throw new InvalidParametersError(`payload over maxMessageSize (${this.#settings.maxMessageSize})`)
    }
    const now = this.#settings.now()
    const envelope = await sealEnvelope(
      { topic, data: message.payload, ttl, pow },
      { now, signal: options?.signal },
    )
    if (!this.#started) throw new NotStartedError('whisper stopped while sealing')
    const entry = {
      hash: `0x${bytesToHex(envelopeHash(envelope))}`,
      envelope,
      pow: envelopePow(envelope),
      own: true,
    }
    this.#accept(entry, undefined)
    return entry.hash
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

  /** Changes our pow requirement and tells every peer (code 2); the old one is accepted for `syncAllowance` s. */
  async setMinPow(pow: number, options?: AbortOptions): Promise<void> {
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    this.#policy.setMinPow(pow)
    await this.#tellPeers(WhisperCode.powRequirement, encodePowRequirement(pow), options)
  }

  /** Changes our bloom filter and tells every peer (code 3); the old one is accepted for `syncAllowance` s. */
  async setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void> {
    const payload = encodeBloomFilter(bloom)
    this.#policy.setBloom(bloom)
    await this.#tellPeers(WhisperCode.bloomFilter, payload, options)
  }

  async #tellPeers(code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    await Promise.all(this.#peers.ready().map((state) => this.#peers.send(state, code, payload, options)))
  }

  #onMessages(state: WhisperPeer, payload: Uint8Array): void {
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
      const verdict = this.#policy.validate(envelope, now)
      if (!verdict.ok) {
        this.#count(verdict.reason, state)
        // go-ethereum drops a just-expired envelope silently; every other failure is the peer's fault.
        if (verdict.reason !== 'expired') violated = true
        continue
      }
      this.#accept({ hash, envelope, pow: verdict.pow, own: false }, state)
    }
    if (violated) this.#peers.violation(state, 'invalid envelopes')
  }

  /** A valid new envelope: pool it, deliver it locally, relay it. */
  #accept(entry: PooledEnvelope, from: WhisperPeer | undefined): void {
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
    this.#deliver(entry, topic, from)
    if (from !== undefined && this.#settings.lightNode) return
    for (const state of this.#peers.ready()) if (state !== from) this.#sendTo(state, [entry])
  }

  #deliver(entry: PooledEnvelope, topic: string, from: WhisperPeer | undefined): void {
    if (!this.#subscriptions.wants(topic)) return
    const message = receivedMessage(entry, topic, from?.peer.id)
    this.safeDispatchEvent('message:received', message)
    this.#subscriptions.deliver(message, (error) => this.#log.warn('a subscription handler threw: %s', error))
  }

  /** Sends the entries this peer wants (its bloom and pow) and has not seen, as one Messages packet. */
  #sendTo(state: WhisperPeer, entries: Iterable<PooledEnvelope>): void {
    if (!state.ready) return
    const now = this.#settings.now()
    const wanted = []
    for (const entry of entries) {
      if (state.known.has(entry.hash, now) || entry.pow < state.pow) continue
      if (!bloomMatches(state.bloom, topicToBloom(entry.envelope.topic))) continue
      state.known.add(entry.hash, entry.envelope.expiry)
      wanted.push(entry.envelope)
    }
    if (wanted.length > 0) void this.#peers.send(state, WhisperCode.messages, encodeEnvelopes(wanted))
  }

  #count(result: string, from: WhisperPeer): void {
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
