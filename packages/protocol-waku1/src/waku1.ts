/**
 * Waku v1 (`waku/1`) on the devp2p host: a peer wants what its topic interest (or else its bloom)
 * covers, our own topic interest is an extra acceptance rule, and changes travel as Status Updates
 * (code 22). The envelope rules, the pipeline and the handshake are `EnvelopeProtocol`'s from
 * `@parley/protocol-whisper`.
 */
import { bytesToHex } from '@parley/crypto'
import {
  decodeBatchAck,
  decodeMessageResponse,
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
import {
  bloomHex,
  type EnvelopePeerInfo,
  EnvelopeProtocol,
  type EnvelopeProtocolComponents,
  type Rejection,
  type Verdict,
} from '@parley/protocol-whisper'
import { confirmationPackets } from './confirmations.ts'
import type { BatchAcknowledgedEvent } from './events.ts'
import { TopicInterest } from './interest.ts'
import { bloomOf, topicsOf, type Waku1Settings } from './options.ts'
import { WakuPeer } from './peer-state.ts'

export type Waku1Components = EnvelopeProtocolComponents

export class Waku1 extends EnvelopeProtocol<WakuPeer> {
  readonly #interest: TopicInterest
  readonly #components: Waku1Components
  readonly #confirmationsEnabled: boolean

  constructor(components: Waku1Components, settings: Waku1Settings) {
    super(components, settings, {
      name: WAKU_PROTOCOL,
      version: WAKU_VERSION,
      length: WAKU_MESSAGE_CODES,
      label: 'waku1',
      p2pMessageForm: 'list',
    })
    this.#interest = new TopicInterest(settings.topicInterest)
    this.#components = components
    this.#confirmationsEnabled = settings.confirmationsEnabled
  }

  /** Whether we answer Messages with confirmations (and say so in Status). */
  get confirmationsEnabled(): boolean {
    return this.#confirmationsEnabled
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

  /**
   * Adds what the peer's Status said: its topic interest (how many topics; its bloom is then
   * unused, `null`) or its bloom, and whether it sends confirmations.
   */
  protected override peerInfo(state: WakuPeer | undefined): EnvelopePeerInfo | undefined {
    const info = super.peerInfo(state)
    if (info === undefined || state === undefined) return undefined
    const topics = state.topics?.size
    return {
      ...info,
      bloom: topics === undefined ? bloomHex(state.bloom) : null,
      topicInterest: topics ?? null,
      confirmationsEnabled: state.confirmationsEnabled,
    }
  }

  protected createPeer(peer: Devp2pPeer): WakuPeer {
    return new WakuPeer(peer, this.settings.knownPerPeer)
  }

  protected statusPacket(): Uint8Array {
    const topicInterest = this.#interest.topics
    // As status-go: the limits we enforce, all 0 when the limiter is off; no per-topic limits.
    const limits = this.limiter.limits
    return encodeWakuStatus({
      pow: this.policy.minPow,
      bloom: this.policy.bloom,
      lightNode: this.settings.lightNode,
      confirmationsEnabled: this.#confirmationsEnabled,
      rateLimits: { ip: BigInt(limits.ipPackets), peerId: BigInt(limits.peerPackets), topic: 0n },
      ...(topicInterest === undefined ? {} : { topicInterest }),
      bytesRateLimits: { ip: BigInt(limits.ipBytes), peerId: BigInt(limits.peerBytes), topic: 0n },
    })
  }

  protected applyStatus(state: WakuPeer, payload: Uint8Array): void {
    // A second Status is ignored by `EnvelopePeers`; changes come as Status Update (22).
    state.apply(decodeWakuStatus(payload))
  }

  protected onPacket(state: WakuPeer, code: number, payload: Uint8Array): boolean {
    if (code === WakuCode.batchAcknowledged || code === WakuCode.messageResponse) {
      this.#onConfirmation(state, code, payload)
      return false
    }
    if (code !== WakuCode.statusUpdate) return false
    state.apply(decodeWakuStatus(payload))
    return true
  }

  /**
   * With confirmations on, every Messages packet gets a Message Response and a Batch Acknowledged,
   * sent once its envelopes are archived when an archiver is registered.
   */
  protected override onMessages(state: WakuPeer, payload: Uint8Array): Rejection[] | undefined {
    const rejections = super.onMessages(state, payload)
    if (this.#confirmationsEnabled && rejections !== undefined) {
      void (async () => {
        await this.relay.settled()
        for (const packet of confirmationPackets(payload, rejections)) {
          if (!(await this.peers.send(state, packet.code, packet.payload))) return
        }
      })()
    }
    return rejections
  }

  /**
   * A peer's confirmation becomes a node event. One that does not decode (or a response version
   * other than 1) is ignored, as status-go does: it is no reason to end the session.
   */
  #onConfirmation(state: WakuPeer, code: number, payload: Uint8Array): void {
    const { events, logger } = this.#components
    try {
      const detail: BatchAcknowledgedEvent = { protocol: this.protocol, peer: state.peer.id, batch: '' }
      if (code === WakuCode.batchAcknowledged) {
        events.safeDispatchEvent('envelope:batch-acknowledged', {
          ...detail,
          batch: hex(decodeBatchAck(payload)),
        })
        return
      }
      const response = decodeMessageResponse(payload)
      events.safeDispatchEvent('envelope:batch-response', {
        ...detail,
        batch: hex(response.hash),
        errors: response.errors,
      })
    } catch (error) {
      logger.debug('ignored a bad code %d confirmation: %s', code, error)
    }
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

  /**
   * status-go drops a just-expired envelope, and one outside our bloom or topic interest, without an
   * error; only the others count against the peer (and are listed in confirmations).
   */
  protected override isViolation(reason: string): boolean {
    return reason !== 'expired' && reason !== 'bloom-mismatch' && reason !== 'topic-mismatch'
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

function hex(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`
}
