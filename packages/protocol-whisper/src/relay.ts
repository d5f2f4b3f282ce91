/**
 * The envelope pipeline both devp2p envelope protocols run: decode → validate → dedup → pool →
 * deliver → relay to each peer what it wants and its pow allows (`outbound.ts`). With an archiver registered, a
 * new envelope is archived before it is pooled (`archive-gate.ts`). An envelope from another
 * network (`inject`, a bridge's) enters at validate, as a peer's would, and keeps its hash.
 * Envelopes a trusted peer sends directly take a side path: delivered to the subscriptions that
 * allow p2p, never pooled or relayed.
 */
import { bytesToHex } from '@parley/crypto'
import {
  decodeEnvelope,
  decodeEnvelopes,
  type Envelope,
  encodeEnvelope,
  envelopeHash,
  envelopePow,
  topicToHex,
} from '@parley/envelope'
import {
  DecodeError,
  LimitExceededError,
  type ReceivedMessage,
  type V1Archiver,
  type V1DirectEvents,
  VerificationError,
} from '@parley/interfaces'
import { ArchiveGate } from './archive-gate.ts'
import type { EnvelopeProtocolComponents } from './components.ts'
import type { EnvelopePeers } from './envelope-peers.ts'
import { ExpiringSet } from './expiring-set.ts'
import type { WhisperSettings } from './options.ts'
import { sendWanted } from './outbound.ts'
import type { EnvelopePeer } from './peer-state.ts'
import { EnvelopePool, type PooledEnvelope, receivedMessage } from './pool.ts'
import type { Subscriptions } from './subscriptions.ts'

export type Verdict = { ok: true; pow: number } | { ok: false; reason: string }

/** An envelope we refused, for confirmations: its hash (`0x` hex) and the verdict's reason. */
export interface Rejection {
  hash: string
  reason: string
}

export interface EnvelopeRelayInit<P extends EnvelopePeer> {
  /** `shh/6`, `waku/1`: what events say */
  protocol: string
  settings: WhisperSettings
  components: EnvelopeProtocolComponents
  peers: EnvelopePeers<P>
  subscriptions: Subscriptions
  /** whether we take an envelope from a peer */
  validate: (envelope: Envelope, now: number) => Verdict
  /** whether refusing an envelope for this reason is the sender's fault (a violation) */
  isViolation: (reason: string) => boolean
  isTrusted: (peerId: string) => boolean
  /** a message for local subscribers: the protocol emits `message:received` */
  emit: (message: ReceivedMessage) => void
  /**
   * A new valid envelope entered the pool (the protocol emits `envelope:accepted`). Called only
   * when `wantsAccepted()` says someone listens (or an archiver took it), so the pipeline does not
   * re-encode for nobody.
   */
  accepted: (detail: V1DirectEvents['envelope:accepted']) => void
  wantsAccepted: () => boolean
}

export class EnvelopeRelay<P extends EnvelopePeer> {
  readonly #init: EnvelopeRelayInit<P>
  readonly #seen: ExpiringSet<string>
  readonly #pool: EnvelopePool
  readonly #gate: ArchiveGate<Admission<P>>

  constructor(init: EnvelopeRelayInit<P>) {
    this.#init = init
    this.#seen = new ExpiringSet(init.settings.dedupCacheSize)
    this.#pool = new EnvelopePool(init.settings.dedupCacheSize)
    this.#gate = new ArchiveGate<Admission<P>>({
      passed: (admissions) => {
        for (const { entry, from, detail } of admissions) this.#admit(entry, from, detail)
      },
      failed: (admissions, error) => {
        const { metrics, logger } = init.components
        // A backlog sheds one envelope at a time while the store lags: counted, not logged each time.
        const backlog = error instanceof LimitExceededError
        metrics.envelopes.inc({ result: backlog ? 'archive-backlog' : 'archive-failed' }, admissions.length)
        if (!backlog) logger.warn('archiving %d envelopes failed, not relayed: %s', admissions.length, error)
      },
    })
  }

  /** `V1PrivacyProtocol.setArchiver`: new envelopes are archived before they go any further. */
  setArchiver(archiver: V1Archiver): () => void {
    return this.#gate.register(archiver)
  }

  /** Resolves once every envelope accepted so far was archived and passed on (or dropped). */
  settled(): Promise<void> {
    return this.#gate.settled()
  }

  /**
   * A Messages packet from a ready peer. Returns the envelopes we refused as violations, and why
   * (not duplicates, nor those dropped quietly), or `undefined` when the packet was undecodable.
   */
  onMessages(state: P, payload: Uint8Array): Rejection[] | undefined {
    let envelopes: Envelope[]
    try {
      envelopes = decodeEnvelopes(payload)
    } catch (error) {
      this.count('decode-error', state)
      this.#init.peers.violation(state, `undecodable Messages: ${(error as Error).message}`)
      return undefined
    }
    const rejections: Rejection[] = []
    const now = this.#init.settings.now()
    const trusted = this.#init.isTrusted(state.peer.id)
    let violated = false
    for (const envelope of envelopes) {
      const hash = hashOf(envelope)
      state.known.add(hash, envelope.expiry)
      if (this.#seen.has(hash, now)) {
        this.count('duplicate', state)
        continue
      }
      const verdict = this.#init.validate(envelope, now)
      if (verdict.ok) {
        // A failed archive write is counted and logged by the gate; the peer's packet is done with.
        this.accept({ hash, envelope, pow: verdict.pow, own: false }, state).catch(ignore)
        continue
      }
      if (trusted && (verdict.reason === 'expired' || verdict.reason === 'too-old')) {
        // A trusted peer (a mailserver) may hand us history: ours to read, not to pool or relay.
        this.count('accepted-expired', state)
        this.#deliver({ hash, envelope, pow: envelopePow(envelope), own: false }, state, false)
        continue
      }
      this.count(verdict.reason, state)
      if (!this.#init.isViolation(verdict.reason)) continue
      violated = true
      rejections.push({ hash, reason: verdict.reason })
    }
    if (violated) this.#init.peers.violation(state, 'invalid envelopes')
    return rejections
  }

  /** Envelopes a trusted peer sent directly (127): delivered to p2p subscriptions only. */
  onDirect(state: P, envelopes: readonly Envelope[]): void {
    const now = this.#init.settings.now()
    for (const envelope of envelopes) {
      const hash = hashOf(envelope)
      if (this.#seen.has(hash, now)) {
        this.count('duplicate', state)
        continue
      }
      this.count('p2p', state)
      this.#deliver({ hash, envelope, pow: envelopePow(envelope), own: false }, state, true)
    }
  }

  /**
   * An envelope from outside the network (a bridge's other side, its RLP): the checks a peer's gets,
   * then `accept` unchanged, so its hash stays. A refusal is the caller's error, not a violation;
   * counted as `injected-<reason>`. A duplicate resolves with the hash and goes nowhere.
   */
  inject(rlp: Uint8Array): Promise<string> {
    let envelope: Envelope
    try {
      envelope = decodeEnvelope(rlp)
    } catch (error) {
      this.count('injected-decode-error', undefined)
      return Promise.reject(new DecodeError(`injected envelope does not decode: ${error}`, { cause: error }))
    }
    const hash = hashOf(envelope)
    const now = this.#init.settings.now()
    if (this.#seen.has(hash, now)) {
      this.count('injected-duplicate', undefined)
      return Promise.resolve(hash)
    }
    const verdict = this.#init.validate(envelope, now)
    if (!verdict.ok) {
      this.count(`injected-${verdict.reason}`, undefined)
      return Promise.reject(new VerificationError(`injected envelope ${hash} refused: ${verdict.reason}`))
    }
    this.count('injected', undefined)
    return this.accept({ hash, envelope, pow: verdict.pow, own: false }, undefined).then(() => hash)
  }

  /**
   * A valid new envelope, ours or a peer's: archive it when an archiver is registered, then pool it,
   * deliver it locally and relay it. Resolves once passed on; rejects with the archiver's error (the
   * envelope was dropped) or `NotStartedError` (the protocol stopped first).
   */
  accept(entry: PooledEnvelope, from: P | undefined): Promise<void> {
    this.#seen.add(entry.hash, entry.envelope.expiry)
    if (from !== undefined) this.count('accepted', from)
    if (!this.#gate.active) {
      this.#admit(entry, from, undefined)
      return PASSED
    }
    const detail = acceptedDetail(entry, from)
    return this.#gate.add({ entry, from, detail }, detail)
  }

  #admit(entry: PooledEnvelope, from: P | undefined, archived: AcceptedDetail | undefined): void {
    const { components, settings } = this.#init
    this.#pool.add(entry)
    components.metrics.pool.set(this.#pool.size)
    components.events.safeDispatchEvent('envelope:received', {
      protocol: this.#init.protocol,
      hash: entry.hash,
      topic: topicToHex(entry.envelope.topic),
      from: from?.peer.id,
    })
    // What a mailserver archives: every new valid envelope, ours included (status-go's Archive).
    if (archived !== undefined) this.#init.accepted(archived)
    else if (this.#init.wantsAccepted()) this.#init.accepted(acceptedDetail(entry, from))
    this.#deliver(entry, from, false)
    if (from !== undefined && settings.lightNode) return
    for (const state of this.#init.peers.ready()) if (state !== from) this.sendTo(state, [entry])
  }

  /** Offers a peer the pool's live envelopes it wants: on Status, or when it widened what it wants. */
  offer(state: P): void {
    this.sendTo(state, this.#relayable())
  }

  /** Sends the entries this peer wants (by topic and pow) and has not seen, as one Messages packet. */
  sendTo(state: P, entries: Iterable<PooledEnvelope>): void {
    const { protocol, components, peers, settings } = this.#init
    sendWanted(state, entries, { protocol, components, peers, now: settings.now() })
  }

  /**
   * Counts a received (`from` a peer) or injected envelope's fate; a refusal (not accepted,
   * duplicate or p2p) is also `envelope:rejected`.
   */
  count(result: string, from: P | undefined): void {
    this.#init.components.metrics.envelopes.inc({ result })
    if (NOT_REFUSALS.has(result)) return
    this.#init.components.events.safeDispatchEvent('envelope:rejected', {
      protocol: this.#init.protocol,
      reason: result,
      ...(from === undefined ? {} : { from: from.peer.id }),
    })
  }

  sweep(now: number): void {
    this.#seen.sweep(now)
    for (const entry of this.#pool.sweep(now)) {
      this.#init.components.events.safeDispatchEvent('envelope:expired', {
        protocol: this.#init.protocol,
        hash: entry.hash,
        topic: topicToHex(entry.envelope.topic),
      })
    }
    for (const state of this.#init.peers.ready()) state.known.sweep(now)
    this.#init.components.metrics.pool.set(this.#pool.size)
  }

  clear(): void {
    this.#gate.clear()
    this.#pool.clear()
    this.#seen.clear()
    this.#init.components.metrics.pool.set(0)
  }

  #deliver(entry: PooledEnvelope, from: P | undefined, p2p: boolean): void {
    const topic = topicToHex(entry.envelope.topic)
    if (!this.#init.subscriptions.wants(topic, p2p)) return
    const message = receivedMessage(entry, topic, from?.peer.id, p2p)
    this.#init.emit(message)
    this.#init.subscriptions.deliver(message, (error) =>
      this.#init.components.logger.warn('a subscription handler threw: %s', error),
    )
  }

  /** What we pass on: everything, or for a light node only what it sealed itself. */
  #relayable(): PooledEnvelope[] {
    return [...this.#pool.values()].filter((entry) => entry.own || !this.#init.settings.lightNode)
  }
}

type AcceptedDetail = V1DirectEvents['envelope:accepted']

interface Admission<P> {
  entry: PooledEnvelope
  from: P | undefined
  detail: AcceptedDetail
}

const PASSED = Promise.resolve()

const NOT_REFUSALS = new Set([
  'accepted',
  'duplicate',
  'p2p',
  'accepted-expired',
  'injected',
  'injected-duplicate',
])

function ignore(): void {}

function acceptedDetail<P extends EnvelopePeer>(entry: PooledEnvelope, from: P | undefined): AcceptedDetail {
  return {
    envelope: encodeEnvelope(entry.envelope),
    hash: entry.hash,
    ...(from === undefined ? {} : { from: from.peer.id }),
  }
}

export function hashOf(envelope: Envelope): string {
  return `0x${bytesToHex(envelopeHash(envelope))}`
}
