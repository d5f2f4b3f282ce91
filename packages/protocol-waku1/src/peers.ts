/**
 * The `waku/1` peer set: the Status handshake (ours on connect, theirs first and within the
 * timeout), Status Updates that change what a peer wants, and violations counted up to a
 * disconnect. The envelopes themselves go to `onMessages`.
 */
import { decodeWakuStatus, encodeWakuStatus, WakuCode, type WakuStatusOptions } from '@parley/envelope'
import type { AbortOptions, Devp2pPeer, Logger } from '@parley/interfaces'
import type { Waku1Settings } from './options.ts'
import { WakuPeer } from './peer-state.ts'

/** devp2p's `subprotocolError`: what go-ethereum and status-go send when a capability's handler fails. */
const SUBPROTOCOL_ERROR = 0x10

export interface WakuPeersInit {
  settings: Waku1Settings
  log: Logger
  /** the options of the Status we send */
  status: () => WakuStatusOptions
  /** a peer's Status was accepted */
  onReady: (state: WakuPeer) => void
  /** a peer's Status Update was applied: it may now want envelopes it did not before */
  onUpdate: (state: WakuPeer) => void
  /** a Messages packet from a ready peer */
  onMessages: (state: WakuPeer, payload: Uint8Array) => void
}

export class WakuPeers {
  readonly #init: WakuPeersInit
  readonly #peers = new Map<string, WakuPeer>()
  #started = false

  constructor(init: WakuPeersInit) {
    this.#init = init
  }

  /** Peers whose Status we have accepted. */
  ready(): WakuPeer[] {
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
    const state = new WakuPeer(peer, this.#init.settings.knownPerPeer)
    this.#peers.set(peer.id, state)
    if (this.#started) this.#armStatusTimer(state)
    void this.send(state, WakuCode.status, encodeWakuStatus(this.#init.status()))
  }

  onPeerDisconnect(peer: Devp2pPeer): void {
    this.#peers.get(peer.id)?.clearStatusTimer()
    this.#peers.delete(peer.id)
  }

  /** Never throws: bad input from a peer is counted and, if repeated, costs it the connection. */
  onMessage(peer: Devp2pPeer, code: number, payload: Uint8Array): void {
    const state = this.#peers.get(peer.id)
    if (state === undefined || !this.#started) return
    try {
      if (code === WakuCode.status) this.#onStatus(state, payload)
      else if (!state.ready) this.violation(state, `code ${code} before Status`)
      else if (code === WakuCode.messages) this.#init.onMessages(state, payload)
      else if (code === WakuCode.statusUpdate) {
        state.apply(decodeWakuStatus(payload))
        this.#init.onUpdate(state)
      }
      // Confirmations (11, 12) and mailserver codes (125–127) are not implemented and ignored.
    } catch (error) {
      this.violation(state, `bad code ${code} packet: ${(error as Error).message}`)
    }
  }

  violation(state: WakuPeer, what: string): void {
    state.violations++
    this.#init.log.debug('peer %s: %s (%d)', short(state), what, state.violations)
    if (state.violations >= this.#init.settings.maxPeerViolations) this.#disconnect(state)
  }

  /** Sends and never rejects: a failed send is the host's business (it ends the peer), not ours. */
  async send(state: WakuPeer, code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    try {
      await state.peer.send(code, payload, options)
    } catch (error) {
      this.#init.log.debug('send of code %d to %s failed: %s', code, short(state), error)
    }
  }

  #onStatus(state: WakuPeer, payload: Uint8Array): void {
    if (state.ready) return // a second Status is ignored; changes come as Status Update (22)
    let options: WakuStatusOptions
    try {
      options = decodeWakuStatus(payload)
    } catch (error) {
      this.#init.log.debug('bad Status from %s: %s', short(state), error)
      this.#disconnect(state)
      return
    }
    state.clearStatusTimer()
    state.apply(options)
    state.ready = true
    this.#init.onReady(state)
  }

  #armStatusTimer(state: WakuPeer): void {
    state.clearStatusTimer()
    state.statusTimer = setTimeout(() => {
      this.#init.log.debug('peer %s sent no Status in time', short(state))
      this.#disconnect(state)
    }, this.#init.settings.statusTimeoutMs)
  }

  #disconnect(state: WakuPeer): void {
    state.clearStatusTimer()
    try {
      state.peer.disconnect(SUBPROTOCOL_ERROR)
    } catch (error) {
      this.#init.log.debug('disconnect failed: %s', error)
    }
  }
}

function short(state: WakuPeer): string {
  return state.peer.id.slice(0, 16)
}
