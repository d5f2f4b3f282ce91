import {
  AbortError,
  type AbortOptions,
  type Components,
  type DiscoveredPeer,
  InvalidConfigError,
  InvalidParametersError,
  type Logger,
  type ParleyEvents,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  type Plugin,
  peerDiscovery,
  type Secp256k1Provider,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import { parseStaticEntries, type StaticEntries } from './entries.ts'

export interface StaticPeersInit extends StaticEntries {
  /** First re-announcement delay for a peer that is not connected; doubles each time. Default 1000. */
  redialIntervalMs?: number
  /** Cap of the doubling. Default 60000. */
  maxRedialIntervalMs?: number
  /** Needed only for `enrs`: records are verified at create. */
  secp256k1?: Secp256k1Provider
}

/** What the service uses from the node (see `Components`). */
export interface StaticPeersComponents {
  events?: TypedEventTarget<ParleyEvents>
  logger?: Logger
}

interface PeerState {
  readonly peer: DiscoveredPeer
  attempt: number
  connected: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

const SOURCE = 'static'

function checkInterval(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidConfigError(
      `staticPeers: ${name} must be a positive integer of milliseconds, got ${value}`,
    )
  }
  return value
}

/**
 * Announces a fixed list of peers: all of them on start, then each one not connected again after
 * 1 s, 2 s, 4 s … up to 60 s. The dialler reports back with `markConnected` (announcements stop)
 * and `markDisconnected` (they resume from the first delay).
 */
export class StaticPeerDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = SOURCE
  readonly #peers: Map<string, PeerState>
  readonly #initialMs: number
  readonly #maxMs: number
  readonly #components: StaticPeersComponents
  #started = false

  constructor(init: StaticPeersInit, components: StaticPeersComponents = {}) {
    super({ onListenerError: (error) => components.logger?.warn('a peer:discovery listener threw', error) })
    this.#initialMs = checkInterval('redialIntervalMs', init.redialIntervalMs, 1000)
    this.#maxMs = checkInterval('maxRedialIntervalMs', init.maxRedialIntervalMs, 60_000)
    if (this.#maxMs < this.#initialMs) {
      throw new InvalidConfigError('staticPeers: maxRedialIntervalMs must not be below redialIntervalMs')
    }
    const peers = parseStaticEntries(init, init.secp256k1)
    this.#peers = new Map(
      peers.map((peer) => [peer.id, { peer, attempt: 0, connected: false, timer: undefined }]),
    )
    this.#components = components
  }

  start(options?: AbortOptions): void {
    if (options?.signal?.aborted) throw new AbortError()
    if (this.#started) return
    this.#started = true
    for (const state of this.#peers.values()) {
      this.#announce(state)
      this.#schedule(state)
    }
  }

  stop(): void {
    this.#started = false
    for (const state of this.#peers.values()) this.#cancel(state)
  }

  isStarted(): boolean {
    return this.#started
  }

  async findPeers(limit: number, options?: AbortOptions): Promise<DiscoveredPeer[]> {
    if (options?.signal?.aborted) throw new AbortError()
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new InvalidParametersError(`findPeers: limit must be a non-negative integer, got ${limit}`)
    }
    // Peers that still need a connection come first.
    const states = [...this.#peers.values()].sort((a, b) => Number(a.connected) - Number(b.connected))
    return states.slice(0, limit).map((state) => copy(state.peer))
  }

  /** The peer is connected: stop announcing it and forget its back-off. False for an unknown id. */
  markConnected(id: string): boolean {
    const state = this.#peers.get(id)
    if (state === undefined) return false
    state.connected = true
    state.attempt = 0
    this.#cancel(state)
    return true
  }

  /** The peer went away: announce it again after the first delay. False for an unknown id. */
  markDisconnected(id: string): boolean {
    const state = this.#peers.get(id)
    if (state === undefined) return false
    state.connected = false
    state.attempt = 0
    this.#cancel(state)
    if (this.#started) this.#schedule(state)
    return true
  }

  /** The delay before the next announcement of `id`, or undefined when none is scheduled. */
  nextDelayMs(id: string): number | undefined {
    const state = this.#peers.get(id)
    return state?.timer === undefined ? undefined : this.#delay(state.attempt)
  }

  #delay(attempt: number): number {
    return Math.min(this.#initialMs * 2 ** Math.min(attempt, 30), this.#maxMs)
  }

  #schedule(state: PeerState): void {
    if (state.connected) return
    state.timer = setTimeout(() => {
      state.timer = undefined
      if (!this.#started || state.connected) return
      state.attempt++
      this.#announce(state)
      this.#schedule(state)
    }, this.#delay(state.attempt))
  }

  #cancel(state: PeerState): void {
    if (state.timer !== undefined) clearTimeout(state.timer)
    state.timer = undefined
  }

  #announce(state: PeerState): void {
    const { peer } = state
    this.safeDispatchEvent('peer:discovery', copy(peer))
    this.#components.events?.safeDispatchEvent('peer:discovery', {
      id: peer.id,
      overlay: peer.enode !== undefined || peer.enr !== undefined ? 'devp2p' : 'libp2p',
      source: SOURCE,
      ...(peer.enode === undefined ? {} : { enode: peer.enode }),
      ...(peer.enr === undefined ? {} : { enr: peer.enr }),
      ...(peer.multiaddrs === undefined ? {} : { multiaddrs: [...peer.multiaddrs] }),
    })
  }
}

function copy(peer: DiscoveredPeer): DiscoveredPeer {
  return peer.multiaddrs === undefined ? { ...peer } : { ...peer, multiaddrs: [...peer.multiaddrs] }
}

/**
 * The static-peers plugin: `createNode({ plugins: [staticPeers({ enodes: [...] })] })`. Provides
 * `peerDiscovery`. Every entry is checked here, so a typo fails where it is written.
 */
export function staticPeers(init: StaticPeersInit): Plugin<StaticPeerDiscovery> {
  new StaticPeerDiscovery(init)
  return {
    name: 'discovery-static',
    provides: [peerDiscovery],
    create: (components: Components) =>
      new StaticPeerDiscovery(init, {
        events: components.events,
        logger: components.logger.forComponent('discovery-static'),
      }),
  }
}
