/**
 * The machinery Whisper v6 and Waku v1 share on the devp2p host: the service lifecycle, `post`,
 * `subscribe`, admission settings, trusted peers and the direct packets. A subclass supplies its
 * capability, its Status codec, what a peer wants, and its extra packets. The per-peer handshake is
 * `envelope-peers.ts`, the envelope pipeline `relay.ts`, the direct packets (125–127) `direct.ts`.
 */
import { type Envelope, envelopePow, hexToTopic, sealEnvelope, topicToHex } from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Devp2pPeer,
  InvalidParametersError,
  type MessageFilter,
  NotStartedError,
  type PrivacyMessage,
  type ReceivedMessage,
  type Subscription,
  TypedEventEmitter,
  type V1Archiver,
  type V1PrivacyProtocol,
  type V1PrivacyProtocolEvents,
} from '@parley/interfaces'
import { AcceptancePolicy } from './acceptance.ts'
import { type EnvelopePeerInfo, envelopeNodeInfo, envelopePeerInfo } from './admin-info.ts'
import type { EnvelopeProtocolComponents } from './components.ts'
import { DirectPackets, type P2PMessageForm } from './direct.ts'
import { EnvelopePeers } from './envelope-peers.ts'
import { MAX_MESSAGE_SIZE_LIMIT, type WhisperSettings } from './options.ts'
import type { EnvelopePeer } from './peer-state.ts'
import { RateLimiter } from './rate-limiter.ts'
import { EnvelopeRelay, hashOf, type Rejection, type Verdict } from './relay.ts'
import { Subscriptions } from './subscriptions.ts'

export type { Verdict } from './relay.ts'

const SWEEP_INTERVAL_MS = 1000

/** The devp2p capability a protocol registers, and the name its errors use. */
export interface EnvelopeCapability {
  name: string
  version: number
  /** how many message codes it reserves */
  length: number
  /** `whisper`, `waku1`: prefixes lifecycle errors */
  label: string
  /** how P2P Message (127) travels: see `P2PMessageForm` */
  p2pMessageForm: P2PMessageForm
}

export abstract class EnvelopeProtocol<P extends EnvelopePeer>
  extends TypedEventEmitter<V1PrivacyProtocolEvents>
  implements V1PrivacyProtocol
{
  readonly protocol: string
  protected readonly settings: WhisperSettings
  protected readonly policy: AcceptancePolicy
  protected readonly peers: EnvelopePeers<P>
  protected readonly relay: EnvelopeRelay<P>
  protected readonly limiter: RateLimiter
  readonly #direct: DirectPackets<P>
  readonly #label: string
  readonly #components: EnvelopeProtocolComponents
  readonly #subscriptions = new Subscriptions()
  #started = false
  #sweepTimer: ReturnType<typeof setInterval> | undefined

  constructor(
    components: EnvelopeProtocolComponents,
    settings: WhisperSettings,
    capability: EnvelopeCapability,
  ) {
    super({
      onListenerError: (error, type) => components.logger.warn('a %s listener threw: %s', type, error),
    })
    this.protocol = `${capability.name}/${capability.version}`
    this.#label = capability.label
    this.#components = components
    this.settings = settings
    this.policy = new AcceptancePolicy(settings)
    this.limiter = new RateLimiter(settings.rateLimits)
    this.peers = new EnvelopePeers<P>({
      settings,
      log: components.logger,
      metrics: components.metrics,
      limiter: this.limiter,
      exempt: (peerId) => this.isTrustedPeer(peerId),
      wire: {
        createPeer: (peer) => this.createPeer(peer),
        status: () => this.statusPacket(),
        applyStatus: (state, payload) => this.applyStatus(state, payload),
        onPacket: (state, code, payload) => {
          if (!this.#direct.handles(code)) return this.onPacket(state, code, payload)
          this.#direct.onPacket(state, code, payload)
          return false
        },
      },
      onHandshake: (state) => this.safeDispatchEvent('peer:ready', { peer: state.peer.id }),
      // A peer that just became ready, or now wants more, gets the pool's live envelopes it wants.
      onReady: (state) => this.relay.offer(state),
      onMessages: (state, payload) => this.onMessages(state, payload),
      onDropped: (state, reason) => this.relay.count(reason, state),
    })
    this.relay = new EnvelopeRelay<P>({
      protocol: this.protocol,
      settings,
      components,
      peers: this.peers,
      subscriptions: this.#subscriptions,
      validate: (envelope, now) => this.validate(envelope, now),
      isViolation: (reason) => this.isViolation(reason),
      isTrusted: (peerId) => this.isTrustedPeer(peerId),
      emit: (message) => this.safeDispatchEvent('message:received', message),
      accepted: (detail) => this.safeDispatchEvent('envelope:accepted', detail),
      wantsAccepted: () => this.listenerCount('envelope:accepted') > 0,
    })
    this.#direct = new DirectPackets<P>({
      settings,
      peers: this.peers,
      relay: this.relay,
      form: capability.p2pMessageForm,
      protocol: this.protocol,
      emit: (type, detail) => this.safeDispatchEvent(type, detail as V1PrivacyProtocolEvents[typeof type]),
    })
    components.devp2pHost.registerCapability({
      name: capability.name,
      version: capability.version,
      length: capability.length,
      onPeerConnect: (peer) => this.peers.onPeerConnect(peer),
      onMessage: (peer, code, payload) => this.peers.onMessage(peer, code, payload),
      onPeerDisconnect: (peer) => this.peers.onPeerDisconnect(peer),
      nodeInfo: () => envelopeNodeInfo(capability.version, this.maxMessageSize, this.minPow),
      info: (peer) => this.peerInfo(this.peers.get(peer.id)),
    })
  }

  /** The state we keep for a newly connected peer. */
  protected abstract createPeer(peer: Devp2pPeer): P
  /** Our Status packet. */
  protected abstract statusPacket(): Uint8Array
  /** Decodes a peer's Status into its state; throws, changing nothing, when undecodable. */
  protected abstract applyStatus(state: P, payload: Uint8Array): void
  /** A packet other than Status, Messages and 125–127; throws on a bad one; true when the peer may want more. */
  protected abstract onPacket(state: P, code: number, payload: Uint8Array): boolean
  /** `admin_peers[].protocols[name]`; a protocol adds what its Status carries. */
  protected peerInfo(state: P | undefined): EnvelopePeerInfo | undefined {
    const version = Number(this.protocol.split('/')[1])
    return envelopePeerInfo(version, state, state !== undefined && this.isTrustedPeer(state.peer.id))
  }

  abstract setMinPow(pow: number, options?: AbortOptions): Promise<void>
  abstract setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void>

  get minPow(): number {
    return this.policy.minPow
  }

  get bloom(): Uint8Array {
    return this.policy.bloom.slice()
  }

  get maxMessageSize(): number {
    return this.settings.maxMessageSize
  }

  /** go-ethereum's `SetMaxMessageSize`: 1 byte up to its `MaxMessageSize` (10 MiB); applies to every packet from now on. */
  setMaxMessageSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_MESSAGE_SIZE_LIMIT) {
      throw new InvalidParametersError(`max message size must be 1..${MAX_MESSAGE_SIZE_LIMIT}, got ${size}`)
    }
    this.settings.maxMessageSize = size
  }

  markTrustedPeer(peerId: string): void {
    this.#direct.trust(peerId)
  }

  isTrustedPeer(peerId: string): boolean {
    return this.#direct.isTrusted(peerId)
  }

  async sendP2PRequest(peerId: string, envelope: Uint8Array, options?: AbortOptions): Promise<void> {
    this.#assertStarted()
    await this.#direct.sendRequest(peerId, envelope, options)
  }

  async sendP2PMessages(
    peerId: string,
    envelopes: readonly Uint8Array[],
    options?: AbortOptions,
  ): Promise<void> {
    this.#assertStarted()
    await this.#direct.sendMessages(peerId, envelopes, options)
  }

  async sendP2PRequestComplete(peerId: string, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    this.#assertStarted()
    await this.#direct.sendRequestComplete(peerId, payload, options)
  }

  /** Ids of peers whose Status we have accepted. */
  readyPeers(): string[] {
    return this.peers.ready().map((state) => state.peer.id)
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError(`${this.#label} start aborted`)
    if (this.#started) return
    this.#started = true
    this.#sweepTimer = setInterval(() => {
      this.relay.sweep(this.settings.now())
      this.limiter.sweep()
    }, SWEEP_INTERVAL_MS)
    this.peers.start()
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    clearInterval(this.#sweepTimer)
    this.#sweepTimer = undefined
    this.peers.stop()
    this.relay.clear()
  }

  async post(message: PrivacyMessage, options?: AbortOptions): Promise<string> {
    this.#assertStarted()
    const topic = hexToTopic(message.topic)
    const ttl = message.ttl ?? this.settings.ttl
    const pow = message.pow ?? this.policy.minPow
    if (!Number.isSafeInteger(ttl) || ttl < 1)
      throw new InvalidParametersError(`ttl must be ≥ 1 s, got ${ttl}`)
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    if (20 + message.payload.length > this.settings.maxMessageSize) {
      throw new InvalidParametersError(`payload over maxMessageSize (${this.settings.maxMessageSize})`)
    }
    const sealed = this.#components.metrics.powSeal.startTimer()
    const envelope = await sealEnvelope(
      { topic, data: message.payload, ttl, pow },
      { now: this.settings.now(), signal: options?.signal },
    )
    sealed()
    if (!this.#started) throw new NotStartedError(`${this.#label} stopped while sealing`)
    const hash = hashOf(envelope)
    // With an archiver, handed to the network only once archived; rejects with its error otherwise.
    await this.relay.accept({ hash, envelope, pow: envelopePow(envelope), own: true }, undefined)
    return hash
  }

  /** See `V1PrivacyProtocol.inject`: a peer's checks and path, for an envelope from another network. */
  async inject(envelope: Uint8Array, options?: AbortOptions): Promise<string> {
    if (options?.signal?.aborted === true) throw new AbortError(`${this.#label} inject aborted`)
    this.#assertStarted()
    return this.relay.inject(envelope)
  }

  /** See `V1PrivacyProtocol.setArchiver`: envelopes are archived, in batches, before they are relayed. */
  setArchiver(archiver: V1Archiver): () => void {
    return this.relay.setArchiver(archiver)
  }

  async subscribe(
    filter: MessageFilter,
    handler: (message: ReceivedMessage) => void,
    options?: AbortOptions,
  ): Promise<Subscription> {
    if (options?.signal?.aborted === true) throw new AbortError('subscribe aborted')
    const topics = filter.topics.map((topic) => topicToHex(hexToTopic(topic)))
    return this.#subscriptions.add(topics, handler, filter.allowP2P === true)
  }

  /** Sends one packet to every ready peer. */
  protected async tellPeers(code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    await Promise.all(this.peers.ready().map((state) => this.peers.send(state, code, payload, options)))
  }

  /** Whether we take an envelope from a peer: `AcceptancePolicy`'s rules unless a protocol adds its own. */
  protected validate(envelope: Envelope, now: number): Verdict {
    return this.policy.validate(envelope, now)
  }

  /** go-ethereum drops a just-expired envelope silently; every other refusal is the sender's fault. */
  protected isViolation(reason: string): boolean {
    return reason !== 'expired'
  }

  /**
   * A Messages packet from a ready peer, with what the pipeline refused (`undefined`: undecodable).
   * Waku v1 overrides it to answer with confirmations.
   */
  protected onMessages(state: P, payload: Uint8Array): Rejection[] | undefined {
    return this.relay.onMessages(state, payload)
  }

  #assertStarted(): void {
    if (!this.#started) throw new NotStartedError(`${this.#label} is not started`)
  }
}
