/**
 * Waku v1 (`waku/1`) on the devp2p host: a peer wants what its topic interest (or else its bloom)
 * covers, our own topic interest is an extra acceptance rule, and changes travel as Status Updates
 * (code 22). The envelope rules, the pipeline and the handshake are `EnvelopeProtocol`'s from
 * `@parley/protocol-whisper`.
 */
import {
  decodeWakuStatus,
  type Envelope,
  encodeWakuStatus,
  topicToHex,
  WAKU_MESSAGE_CODES,
  WAKU_PROTOCOL,
  WAKU_VERSION,
  WakuCode,
  type WakuStatusOptions,
} from '@parley/envelope'
import { AbortError, type AbortOptions, type Devp2pPeer, InvalidParametersError } from '@parley/interfaces'
import { EnvelopeProtocol, type EnvelopeProtocolComponents, type Verdict } from '@parley/protocol-whisper'
import { TopicInterest } from './interest.ts'
import { bloomOf, topicsOf, type Waku1Settings } from './options.ts'
import { WakuPeer } from './peer-state.ts'

export type Waku1Components = EnvelopeProtocolComponents

export class Waku1 extends EnvelopeProtocol<WakuPeer> {
  readonly #interest: TopicInterest

  constructor(components: Waku1Components, settings: Waku1Settings) {
    super(components, settings, {
      name: WAKU_PROTOCOL,
      version: WAKU_VERSION,
      length: WAKU_MESSAGE_CODES,
      label: 'waku1',
      p2pMessageForm: 'list',
    })
    this.#interest = new TopicInterest(settings.topicInterest)
  }

  /** Our topic interest (hex topics), or `undefined` when the bloom decides. */
  get topicInterest(): string[] | undefined {
    return this.#interest.topics?.map((topic) => topicToHex(topic))
  }

  /** Changes our pow requirement and sends a Status Update; the old one is accepted for `syncAllowance` s. */
  async setMinPow(pow: number, options?: AbortOptions): Promise<void> {
    if (!Number.isFinite(pow) || pow < 0) throw new InvalidParametersError(`pow must be ≥ 0, got ${pow}`)
    this.policy.setMinPow(pow)
    await this.#update({ pow }, options)
  }

  /**
   * Changes our bloom filter, drops our topic interest, and sends a Status Update; the old filter is
   * accepted for `syncAllowance` s.
   */
  async setBloomFilter(bloom: Uint8Array, options?: AbortOptions): Promise<void> {
    const payload = encodeWakuStatus({ bloom })
    this.policy.setBloom(bloom)
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
    this.policy.setBloom(bloom)
    this.#interest.set(parsed, this.#graceEnd())
    await this.#update({ bloom, topicInterest: parsed }, options)
  }

  protected createPeer(peer: Devp2pPeer): WakuPeer {
    return new WakuPeer(peer, this.settings.knownPerPeer)
  }

  protected statusPacket(): Uint8Array {
    const topicInterest = this.#interest.topics
    return encodeWakuStatus({
      pow: this.policy.minPow,
      bloom: this.policy.bloom,
      lightNode: this.settings.lightNode,
      confirmationsEnabled: false,
      ...(topicInterest === undefined ? {} : { topicInterest }),
    })
  }

  protected applyStatus(state: WakuPeer, payload: Uint8Array): void {
    // A second Status is ignored by `EnvelopePeers`; changes come as Status Update (22).
    state.apply(decodeWakuStatus(payload))
  }

  protected onPacket(state: WakuPeer, code: number, payload: Uint8Array): boolean {
    // Confirmations (11, 12) are not implemented and ignored.
    if (code !== WakuCode.statusUpdate) return false
    state.apply(decodeWakuStatus(payload))
    return true
  }

  /** `validateEnvelope`'s rules, then our topic interest (with its grace period) when we have one. */
  protected override validate(envelope: Envelope, now: number): Verdict {
    const verdict = this.policy.validate(envelope, now)
    // With a topic interest our bloom is derived from it, so a bloom miss is a topic miss.
    const topicDecides = verdict.ok || verdict.reason === 'bloom-mismatch'
    if (topicDecides && !this.#interest.accepts(envelope.topic, now))
      return { ok: false, reason: 'topic-mismatch' }
    return verdict
  }

  async #update(options: WakuStatusOptions, abort?: AbortOptions): Promise<void> {
    await this.#tellPeers(encodeWakuStatus(options), abort)
  }

  async #tellPeers(payload: Uint8Array, options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted === true) throw new AbortError('status update aborted')
    await this.tellPeers(WakuCode.statusUpdate, payload, options)
  }

  #graceEnd(): number {
    return this.settings.now() + this.settings.syncAllowance
  }
}
