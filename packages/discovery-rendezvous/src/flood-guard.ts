import type { Clock } from './clock.ts'

export interface FloodGuardInit {
  /** sustained requests per second one peer may make */
  requestsPerSecond: number
  /** requests a peer may make at once after being idle */
  burst: number
  /** streams one peer may have open at once */
  maxStreamsPerPeer: number
  /** peers tracked at once; the idlest are forgotten beyond it, which only forgives them */
  maxTrackedPeers: number
  clock: Clock
}

interface PeerState {
  tokens: number
  updatedAt: number
  open: number
}

export type Refusal = 'rate' | 'streams'

/**
 * Per-peer admission for the server: a token bucket for request rate and a cap on concurrent
 * streams. Memory is bounded by `maxTrackedPeers`; time per call is O(1) (amortised).
 */
export class FloodGuard {
  readonly #init: FloodGuardInit
  readonly #peers = new Map<string, PeerState>()

  constructor(init: FloodGuardInit) {
    this.#init = init
  }

  /** Admits one stream from `peer`, or says why not; an admitted stream must be `release`d. */
  admit(peer: string): Refusal | undefined {
    const state = this.#state(peer)
    if (state.open >= this.#init.maxStreamsPerPeer) return 'streams'
    if (state.tokens < 1) return 'rate'
    state.tokens -= 1
    state.open += 1
    return undefined
  }

  release(peer: string): void {
    const state = this.#peers.get(peer)
    if (state !== undefined) state.open = Math.max(0, state.open - 1)
  }

  get trackedPeers(): number {
    return this.#peers.size
  }

  #state(peer: string): PeerState {
    const now = this.#init.clock.now()
    let state = this.#peers.get(peer)
    if (state === undefined) {
      if (this.#peers.size >= this.#init.maxTrackedPeers) this.#forgetIdle()
      state = { tokens: this.#init.burst, updatedAt: now, open: 0 }
    } else {
      this.#peers.delete(peer) // re-inserted below: the map stays in least-recently-used order
      const refill = ((now - state.updatedAt) / 1000) * this.#init.requestsPerSecond
      state.tokens = Math.min(this.#init.burst, state.tokens + refill)
      state.updatedAt = now
    }
    this.#peers.set(peer, state)
    return state
  }

  /** Drops the least recently seen peer without open streams (or the oldest, if all have some). */
  #forgetIdle(): void {
    for (const [peer, state] of this.#peers) {
      if (state.open === 0) {
        this.#peers.delete(peer)
        return
      }
    }
    const oldest = this.#peers.keys().next()
    if (oldest.done !== true) this.#peers.delete(oldest.value)
  }
}
