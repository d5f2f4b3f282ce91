/**
 * The `shh/6` peer set: the Status handshake (ours on connect, theirs first and within the timeout),
 * the packets that update a peer's requirements, and violations counted up to a disconnect. The
 * envelopes themselves go to `onMessages`.
 */
import {
  decodeBloomFilter,
  decodePowRequirement,
  decodeWhisperStatus,
  encodeWhisperStatus,
  WhisperCode,
} from '@parley/envelope'
import type { AbortOptions, Devp2pPeer, Logger } from '@parley/interfaces'
import type { WhisperSettings } from './options.ts'
import { WhisperPeer } from './peer-state.ts'

/** devp2p's `subprotocolError`: what go-ethereum sends when a capability's handler fails. */
const SUBPROTOCOL_ERROR = 0x10

export interface WhisperPeersInit {
  settings: WhisperSettings
  log: Logger
  /** our current pow requirement and bloom, for the Status we send */
  status: () => { pow: number; bloom: Uint8Array }
  /** a peer's Status was accepted */
  onReady: (state: WhisperPeer) => void
  /** a Messages packet from a ready peer */
  onMessages: (state: WhisperPeer, payload: Uint8Array) => void
}

export class WhisperPeers {
  readonly #init: WhisperPeersInit
  readonly #peers = new Map<string, WhisperPeer>()
  #started = false

  constructor(init: WhisperPeersInit) {
    this.#init = init
  }

  /** Peers whose Status we have accepted. */
  ready(): WhisperPeer[] {
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
    const { settings } = this.#init
    const state = new WhisperPeer(peer, settings.knownPerPeer)
    this.#peers.set(peer.id, state)
    if (this.#started) this.#armStatusTimer(state)
    const status = encodeWhisperStatus({ ...this.#init.status(), isLightNode: settings.lightNode })
    void this.send(state, WhisperCode.status, status)
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
      if (code === WhisperCode.status) this.#onStatus(state, payload)
      else if (!state.ready) this.violation(state, `code ${code} before Status`)
      else if (code === WhisperCode.messages) this.#init.onMessages(state, payload)
      else if (code === WhisperCode.powRequirement) state.pow = decodePowRequirement(payload)
      else if (code === WhisperCode.bloomFilter) state.bloom = decodeBloomFilter(payload)
      // Other codes (confirmations, mailserver requests) are not implemented and ignored, as geth does.
    } catch (error) {
      this.violation(state, `bad code ${code} packet: ${(error as Error).message}`)
    }
  }

  violation(state: WhisperPeer, what: string): void {
    state.violations++
    this.#init.log.debug('peer %s: %s (%d)', short(state), what, state.violations)
    if (state.violations >= this.#init.settings.maxPeerViolations) this.#disconnect(state)
  }

  /** Sends and never rejects: a failed send is the host's business (it ends the peer), not ours. */
  async send(state: WhisperPeer, code: number, payload: Uint8Array, options?: AbortOptions): Promise<void> {
    try {
      await state.peer.send(code, payload, options)
    } catch (error) {
      this.#init.log.debug('send of code %d to %s failed: %s', code, short(state), error)
    }
  }

  #onStatus(state: WhisperPeer, payload: Uint8Array): void {
    if (state.ready) return // a second Status: go-ethereum ignores it
    let status: ReturnType<typeof decodeWhisperStatus>
    try {
      status = decodeWhisperStatus(payload)
    } catch (error) {
      this.#init.log.debug('bad Status from %s: %s', short(state), error)
      this.#disconnect(state)
      return
    }
    state.clearStatusTimer()
    state.ready = true
    state.pow = status.pow ?? 0
    state.bloom = status.bloom
    state.isLightNode = status.isLightNode ?? false
    this.#init.onReady(state)
  }

  #armStatusTimer(state: WhisperPeer): void {
    state.clearStatusTimer()
    state.statusTimer = setTimeout(() => {
      this.#init.log.debug('peer %s sent no Status in time', short(state))
      this.#disconnect(state)
    }, this.#init.settings.statusTimeoutMs)
  }

  #disconnect(state: WhisperPeer): void {
    state.clearStatusTimer()
    try {
      state.peer.disconnect(SUBPROTOCOL_ERROR)
    } catch (error) {
      this.#init.log.debug('disconnect failed: %s', error)
    }
  }
}

function short(state: WhisperPeer): string {
  return state.peer.id.slice(0, 16)
}
