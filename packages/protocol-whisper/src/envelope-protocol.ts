/**
 * The machinery Whisper v6 and Waku v1 share on the devp2p host: the service lifecycle, `post` and
 * `subscribe`, and the envelope pipeline (decode → validate → dedup → pool → deliver → relay by
 * what each peer wants and its pow). A subclass supplies its capability, its Status codec, what a
 * peer wants, and its extra packets; the per-peer handshake lives in `envelope-peers.ts`.
 */
import { bytesToHex } from '@parley/crypto'
import {
  decodeEnvelopes,
  type Envelope,
  encodeEnvelopes,
  envelopeHash,
  envelopePow,
  hexToTopic,
  sealEnvelope,
  topicToHex,
} from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  type Devp2pPeer,
  InvalidParametersError,
  type MessageFilter,
  NotStartedError,
  type PrivacyMessage,
  type PrivacyProtocol,
  type PrivacyProtocolEvents,
  type ReceivedMessage,
  type Subscription,
  TypedEventEmitter,
} from '@parley/interfaces'
import { AcceptancePolicy } from './acceptance.ts'
import type { EnvelopeProtocolComponents } from './components.ts'
import { EnvelopePeers, MESSAGES_CODE } from './envelope-peers.ts'
import { ExpiringSet } from './expiring-set.ts'
import type { WhisperSettings } from './options.ts'
import type { EnvelopePeer } from './peer-state.ts'
import { EnvelopePool, type PooledEnvelope, receivedMessage } from './pool.ts'
import { Subscriptions } from './subscriptions.ts'

const SWEEP_INTERVAL_MS = 1000

/** The devp2p capability a protocol registers, and the name its errors use. */
export interface EnvelopeCapability {
  name: string
  version: number
  /** how many message codes it reserves */
  length: number
  /** `whisper`, `waku1`: prefixes lifecycle errors */
  label: string
}

export type Verdict = { ok: true; pow: number } | { ok: false; reason: string }

export abstract class EnvelopeProtocol<P extends EnvelopePeer>
  extends TypedEventEmitter<PrivacyProtocolEvents>
  implements PrivacyProtocol
{
  readonly protocol: string
  protected readonly settings: WhisperSettings
  protected readonly policy: AcceptancePolicy
  protected readonly peers: EnvelopePeers<P>
  readonly #components: EnvelopeProtocolComponents
  readonly #label: string
  readonly #seen: ExpiringSet<string>
  readonly #pool: EnvelopePool
  readonly #subscriptions = new Subscriptions()
  #started = false
  #sweepTimer: ReturnType<typeof setInterval> | undefined

  constructor(
    components: EnvelopeProtocolComponents,
    settings: WhisperSettings,
    capability: EnvelopeCapability,
  ) {
    super({
      onListenerError: (error) => components.logger.warn('a message:received listener threw: %s', error),
    })
    this.protocol = `${capability.name}/${capability.version}`
    this.#components = components
    this.#label = capability.label
    this.settings = settings
    this.#seen = new ExpiringSet(settings.dedupCacheSize)
    this.#pool = new EnvelopePool(settings.dedupCacheSize)
    this.policy = new AcceptancePolicy(settings)
    this.peers = new EnvelopePeers<P>({
      settings,
      log: components.logger,
      wire: {
        createPeer: (peer) => this.createPeer(peer),
        status: () => this.statusPacket(),
        applyStatus: (state, payload) => this.applyStatus(state, payload),
        onPacket: (state, code, payload) => this.onPacket(state, code, payload),
      },
      // A peer that just became ready, or now wants more, gets the pool's live envelopes it wants.
      onReady: (state) => this.#sendTo(state, this.#relayable()),
      onMessages: (state, payload) => this.#onMessages(state, payload),
    })
    components.devp2pHost.registerCapability({
      name: capability.name,
      version: capability.version,
      length: capability.length,
      onPeerConnect: (peer) => this.peers.onPeerConnect(peer),
      onMessage: (peer, code, payload) => this.peers.onMessage(peer, code, payload),
      onPeerDisconnect: (peer) => this.peers.onPeerDisconnect(peer),
    })
  }

  /** The state we keep for a newly connected peer. */
  protected abstract createPeer(peer: Devp2pPeer): P
  /** Our Status packet. */
  protected abstract statusPacket(): Uint8Array
  /** Decodes a peer's Status into its state; throws, changing nothing, when undecodable. */
  protected abstract applyStatus(state: P, payload: Uint8Array): void
  /** A packet other than Status and Messages; throws on a bad one; true when the peer may want more. */
  protected abstract onPacket(state: P, code: number, payload: Uint8Array): boolean

  get minPow(): number {
    return this.policy.minPow
  }

  get bloom(): Uint8Array {
    return this.policy.bloom.slice()
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
    this.#sweepTimer = setInterval(() => this.#sweep(), SWEEP_INTERVAL_MS)
    this.peers.start()
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    clearInterval(this.#sweepTimer)
    this.#sweepTimer = undefined
    this.peers.stop()
    this.#pool.clear()
    this.#seen.clear()
    this.#components.metrics.pool.set(0)
  }

  async post(message: PrivacyMessage, options?: AbortOptions): Promise<string> {
    if (!this.#started) throw new NotStartedError(`${this.#label} is not started`)
    const topic = hexToTopic(message.topic)
    const ttl = message.ttl ?? this.settings.ttl
    const pow = message.pow ?? this.policy.minPow
    if (!Number.isSafeInteger(ttl) || ttl < 1)
      throw new InvalidParametersError(`ttl must be ≥ 1 s, got ${ttl}`)
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    if (20 + message.payload.length > this.settings.maxMessageSize) {
      throw new InvalidParametersError(`payload over maxMessageSize (${this.settings.maxMessageSize})`)
    }
    const envelope = await sealEnvelope(
      { topic, data: message.payload, ttl, pow },
      { now: this.settings.now(), signal: options?.signal },
    )
    if (!this.#started) throw new NotStartedError(`${this.#label} stopped while sealing`)
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

  /** Sends one packet to every ready peer. */
  protected async tellPeers(code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    await Promise.all(this.peers.ready().map((state) => this.peers.send(state, code, payload, options)))
  }

  /** Whether we take an envelope from a peer: `AcceptancePolicy`'s rules unless a protocol adds its own. */
  protected validate(envelope: Envelope, now: number): Verdict {
    return this.policy.validate(envelope, now)
  }

  #onMessages(state: P, payload: Uint8Array): void {
    let envelopes: ReturnType<typeof decodeEnvelopes>
    try {
      envelopes = decodeEnvelopes(payload)
    } catch (error) {
      this.#count('decode-error', state)
      this.peers.violation(state, `undecodable Messages: ${(error as Error).message}`)
      return
    }
    const now = this.settings.now()
    let violated = false
    for (const envelope of envelopes) {
      const hash = `0x${bytesToHex(envelopeHash(envelope))}`
      state.known.add(hash, envelope.expiry)
      if (this.#seen.has(hash, now)) {
        this.#count('duplicate', state)
        continue
      }
      const verdict = this.validate(envelope, now)
      if (!verdict.ok) {
        this.#count(verdict.reason, state)
        // go-ethereum and status-go drop a just-expired envelope silently; every other failure is the peer's fault.
        if (verdict.reason !== 'expired') violated = true
        continue
      }
      this.#accept({ hash, envelope, pow: verdict.pow, own: false }, state)
    }
    if (violated) this.peers.violation(state, 'invalid envelopes')
  }

  /** A valid new envelope: pool it, deliver it locally, relay it. */
  #accept(entry: PooledEnvelope, from: P | undefined): void {
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
    if (from !== undefined && this.settings.lightNode) return
    for (const state of this.peers.ready()) if (state !== from) this.#sendTo(state, [entry])
  }

  #deliver(entry: PooledEnvelope, topic: string, from: P | undefined): void {
    if (!this.#subscriptions.wants(topic)) return
    const message = receivedMessage(entry, topic, from?.peer.id)
    this.safeDispatchEvent('message:received', message)
    this.#subscriptions.deliver(message, (error) =>
      this.#components.logger.warn('a subscription handler threw: %s', error),
    )
  }

  /** Sends the entries this peer wants (by topic and pow) and has not seen, as one Messages packet. */
  #sendTo(state: P, entries: Iterable<PooledEnvelope>): void {
    if (!state.ready) return
    const now = this.settings.now()
    const wanted = []
    for (const entry of entries) {
      if (state.known.has(entry.hash, now) || entry.pow < state.pow) continue
      if (!state.wants(entry.envelope.topic)) continue
      state.known.add(entry.hash, entry.envelope.expiry)
      wanted.push(entry.envelope)
    }
    if (wanted.length > 0) void this.peers.send(state, MESSAGES_CODE, encodeEnvelopes(wanted))
  }

  #count(result: string, from: P): void {
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
    return [...this.#pool.values()].filter((entry) => entry.own || !this.settings.lightNode)
  }

  #sweep(): void {
    const now = this.settings.now()
    this.#seen.sweep(now)
    this.#pool.sweep(now)
    for (const state of this.peers.ready()) state.known.sweep(now)
    this.#components.metrics.pool.set(this.#pool.size)
  }
}
