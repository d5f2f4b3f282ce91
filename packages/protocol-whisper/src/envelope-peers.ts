/**
 * The peer set of a devp2p envelope protocol (Whisper v6, Waku v1): the Status handshake (ours on
 * connect, theirs first and within the timeout), the gate every packet passes (rate limits, max
 * size), violations counted up to a disconnect, and sends. What a Status holds and which other
 * packets exist come from `PeerWire`; the envelopes themselves go to `onMessages`.
 */
import type { AbortOptions, Devp2pPeer, Logger } from '@parley/interfaces'
import type { EnvelopeProtocolMetrics } from './components.ts'
import type { WhisperSettings } from './options.ts'
import type { EnvelopePeer } from './peer-state.ts'
import { ipOf, type RateLimiter } from './rate-limiter.ts'

/** devp2p's `subprotocolError`: what go-ethereum and status-go send when a capability's handler fails. */
const SUBPROTOCOL_ERROR = 0x10

/** Status and Messages have these codes in both `shh/6` and `waku/1`. */
export const STATUS_CODE = 0
export const MESSAGES_CODE = 1

/** What differs per protocol in the handshake and the per-peer packets. */
export interface PeerWire<P extends EnvelopePeer> {
  createPeer: (peer: Devp2pPeer) => P
  /** the Status packet we send on connect */
  status: () => Uint8Array
  /** Decodes a peer's Status into its state; throws, changing nothing, when it is undecodable. */
  applyStatus: (state: P, payload: Uint8Array) => void
  /**
   * Any other packet from a ready peer; throws on a bad one. Returns true when the peer may now want
   * envelopes it did not want before.
   */
  onPacket: (state: P, code: number, payload: Uint8Array) => boolean
}

export interface EnvelopePeersInit<P extends EnvelopePeer> {
  settings: WhisperSettings
  log: Logger
  metrics: Pick<EnvelopeProtocolMetrics, 'bytes' | 'rateLimitHits'>
  wire: PeerWire<P>
  limiter: RateLimiter
  /** peers the rate limits do not apply to (status-go exempts its trusted mailservers) */
  exempt: (peerId: string) => boolean
  /** a peer's Status was accepted: it is ready */
  onHandshake: (state: P) => void
  /** a peer's Status was accepted, or a later packet widened what it wants */
  onReady: (state: P) => void
  /** a Messages packet from a ready peer */
  onMessages: (state: P, payload: Uint8Array) => void
  /** a packet we dropped before reading it, and why (for metrics) */
  onDropped: (state: P, reason: string) => void
}

export class EnvelopePeers<P extends EnvelopePeer> {
  readonly #init: EnvelopePeersInit<P>
  readonly #peers = new Map<string, P>()
  #started = false

  constructor(init: EnvelopePeersInit<P>) {
    this.#init = init
  }

  /** The state of a connected peer, by node id. */
  get(id: string): P | undefined {
    return this.#peers.get(id)
  }

  /** Peers whose Status we have accepted. */
  ready(): P[] {
    return [...this.#peers.values()].filter((state) => state.ready)
  }

  start(): void {
    this.#started = true
    for (const state of this.#peers.values()) if (!state.ready) this.#armStatusTimer(state)
  }

  stop(): void {
    this.#started = false
    for (const state of this.#peers.values()) state.clearStatusTimer()
  }

  onPeerConnect(peer: Devp2pPeer): void {
    const state = this.#init.wire.createPeer(peer)
    this.#peers.set(peer.id, state)
    if (this.#started) this.#armStatusTimer(state)
    void this.send(state, STATUS_CODE, this.#init.wire.status())
  }

  onPeerDisconnect(peer: Devp2pPeer): void {
    this.#peers.get(peer.id)?.clearStatusTimer()
    this.#peers.delete(peer.id)
  }

  /** Never throws: bad input from a peer is counted and, if repeated, costs it the connection. */
  onMessage(peer: Devp2pPeer, code: number, payload: Uint8Array): void {
    const state = this.#peers.get(peer.id)
    if (state === undefined || !this.#started) return
    this.#init.metrics.bytes.inc({ direction: 'in' }, payload.length)
    if (!this.#withinRate(state, code, payload)) return
    if (payload.length > this.#init.settings.maxMessageSize) {
      // go-ethereum and status-go end the session over a packet above their max message size.
      this.#init.onDropped(state, 'oversized-packet')
      this.#init.log.debug('peer %s: code %d packet of %d bytes', short(state), code, payload.length)
      this.#disconnect(state)
      return
    }
    try {
      if (code === STATUS_CODE) this.#onStatus(state, payload)
      else if (!state.ready) this.violation(state, `code ${code} before Status`)
      else if (code === MESSAGES_CODE) this.#init.onMessages(state, payload)
      else if (this.#init.wire.onPacket(state, code, payload)) this.#init.onReady(state)
    } catch (error) {
      this.violation(state, `bad code ${code} packet: ${(error as Error).message}`)
    }
  }

  violation(state: P, what: string): void {
    state.violations++
    this.#init.log.debug('peer %s: %s (%d)', short(state), what, state.violations)
    if (state.violations >= this.#init.settings.maxPeerViolations) this.#disconnect(state)
  }

  /** Sends and never rejects (a failed send is the host's business: it ends the peer); true when sent. */
  async send(state: P, code: number, payload: Uint8Array, options?: AbortOptions): Promise<boolean> {
    try {
      await this.sendOrThrow(state, code, payload, options)
      return true
    } catch (error) {
      this.#init.log.debug('send of code %d to %s failed: %s', code, short(state), error)
      return false
    }
  }

  /** Sends, and rejects when the send fails: for callers that asked for this one packet. */
  async sendOrThrow(state: P, code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    await state.peer.send(code, payload, options)
    this.#init.metrics.bytes.inc({ direction: 'out' }, payload.length)
  }

  /**
   * status-go's rate limiter: a packet over a limit is counted and dropped (the Status excepted, so
   * that the handshake survives), and `rateLimitTolerance` such packets cost the peer its connection.
   */
  #withinRate(state: P, code: number, payload: Uint8Array): boolean {
    const { limiter, settings } = this.#init
    if (limiter.disabled || this.#init.exempt(state.peer.id)) return true
    const verdict = limiter.check(state.peer.id, ipOf(state.peer.remoteAddress), payload.length)
    if (verdict.ok) return true
    this.#init.metrics.rateLimitHits.inc({ limit: verdict.limit })
    this.#init.onDropped(state, 'rate-limit')
    state.rateLimitHits++
    if (settings.rateLimitTolerance > 0 && state.rateLimitHits >= settings.rateLimitTolerance) {
      this.#init.log.debug(
        'peer %s: over the %s rate limit %d times',
        short(state),
        verdict.limit,
        state.rateLimitHits,
      )
      this.#disconnect(state)
      return false
    }
    return code === STATUS_CODE
  }

  #onStatus(state: P, payload: Uint8Array): void {
    if (state.ready) return // a second Status is ignored, as go-ethereum and status-go do
    try {
      this.#init.wire.applyStatus(state, payload)
    } catch (error) {
      this.#init.log.debug('bad Status from %s: %s', short(state), error)
      this.#disconnect(state)
      return
    }
    state.clearStatusTimer()
    state.ready = true
    this.#init.onHandshake(state)
    this.#init.onReady(state)
  }

  #armStatusTimer(state: P): void {
    state.clearStatusTimer()
    state.statusTimer = setTimeout(() => {
      this.#init.log.debug('peer %s sent no Status in time', short(state))
      this.#disconnect(state)
    }, this.#init.settings.statusTimeoutMs)
  }

  #disconnect(state: P): void {
    state.clearStatusTimer()
    try {
      state.peer.disconnect(SUBPROTOCOL_ERROR)
    } catch (error) {
      this.#init.log.debug('disconnect failed: %s', error)
    }
  }
}

function short(state: EnvelopePeer): string {
  return state.peer.id.slice(0, 16)
}
