/**
 * `WakuPeerExchange`: the 34/WAKU2-PEER-EXCHANGE server (answers from a cache fed by discv5 results)
 * and client (a `PeerDiscovery` source that asks service peers for records).
 */
import type { Enr } from '@parley/enr'
import {
  AbortError,
  type AbortOptions,
  type DiscoveredPeer,
  InvalidParametersError,
  type Libp2pHost,
  type Logger,
  NotStartedError,
  type ParleyEvents,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  type Secp256k1Provider,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import { PeerRateLimiter } from '@parley/protocol-waku2'
import { EnrCache } from './cache.ts'
import { requestPeers } from './client.ts'
import { MAX_PEERS_CACHE_SIZE, PEER_EXCHANGE_CODEC, REQUEST_TIMEOUT_MS } from './constants.ts'
import type { Libp2pStream } from './host.ts'
import type { PeerExchangeMetrics } from './metrics.ts'
import type { PeerExchangeSettings } from './options.ts'
import { clusterMismatch, peerFromEnr } from './peer.ts'
import { servePeerExchange } from './server.ts'

export interface WakuPeerExchangeComponents {
  host: Libp2pHost
  secp: Secp256k1Provider
  logger: Logger
  metrics: PeerExchangeMetrics
  events: TypedEventTarget<ParleyEvents>
}

export class WakuPeerExchange extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = 'peer-exchange'
  readonly #components: WakuPeerExchangeComponents
  readonly #settings: PeerExchangeSettings
  readonly #cache: EnrCache
  readonly #limiter: PeerRateLimiter
  /** peers learnt from services, by peer id, newest record each */
  readonly #found = new Map<string, { seq: bigint; peer: DiscoveredPeer }>()
  #started = false
  #stopping = new AbortController()
  #timer: ReturnType<typeof setTimeout> | undefined
  #starting: Promise<void> | undefined

  constructor(components: WakuPeerExchangeComponents, settings: PeerExchangeSettings) {
    super({ onListenerError: (error) => components.logger.warn('a peer:discovery listener threw', error) })
    this.#components = components
    this.#settings = settings
    this.#cache = new EnrCache(settings.cacheSize)
    this.#limiter = new PeerRateLimiter(settings.rateLimit)
  }

  isStarted(): boolean {
    return this.#started
  }

  /** Records the server can hand out now. */
  get cachedRecords(): number {
    return this.#cache.size
  }

  /** Peers learnt from services so far. */
  get peers(): DiscoveredPeer[] {
    return [...this.#found.values()].map((found) => found.peer)
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw new AbortError('waku2 peer exchange start aborted')
    if (this.#started) return
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined
    })
    await this.#starting
  }

  async #start(): Promise<void> {
    this.#stopping = new AbortController()
    if (this.#settings.serve) {
      await this.#components.host.handle(PEER_EXCHANGE_CODEC, (stream, peer) =>
        servePeerExchange(stream as Libp2pStream, peer, {
          cache: this.#cache,
          limiter: this.#limiter,
          metrics: this.#components.metrics,
          clusterId: this.#settings.clusterId,
          signal: this.#stopping.signal,
        }),
      )
      this.#components.events.addEventListener('peer:discovery', this.#onDiscovery)
    }
    this.#started = true
    if (this.#settings.queryIntervalMs > 0) this.#schedule(0)
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => {})
    if (!this.#started) return
    this.#started = false
    clearTimeout(this.#timer)
    this.#stopping.abort(new AbortError('waku2 peer exchange stopped'))
    this.#components.events.removeEventListener('peer:discovery', this.#onDiscovery)
    if (this.#settings.serve) await this.#components.host.unhandle(PEER_EXCHANGE_CODEC)
  }

  /** Adds a record (RLP or `enr:` text) for the server to hand out; false when it does not decode. */
  addRecord(record: Uint8Array | string): boolean {
    return this.#cache.add(record)
  }

  /**
   * Asks one service peer (a multiaddr ending in /p2p/<id>, or a connected peer id) for `numPeers`
   * records (default 5); resolves with the verified ones as peers, and reports new ones.
   */
  async request(
    peer: string,
    numPeers = this.#settings.numPeers,
    options: AbortOptions = {},
  ): Promise<DiscoveredPeer[]> {
    this.#requireStarted()
    const signal = AbortSignal.any([
      options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      this.#stopping.signal,
    ])
    const enrs = await requestPeers(this.#components, peer, numPeers, { signal })
    return enrs.flatMap((enr) => this.#record(enr) ?? [])
  }

  /**
   * Up to `limit` peers: asks the configured service peers, then connected peers that speak the
   * protocol, one at a time until `limit` are known. A failing service is logged and skipped.
   */
  async findPeers(limit: number, options: AbortOptions = {}): Promise<DiscoveredPeer[]> {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new InvalidParametersError(`findPeers: limit must be a non-negative integer, not ${limit}`)
    this.#requireStarted()
    const numPeers = Math.max(1, Math.min(limit, MAX_PEERS_CACHE_SIZE))
    for (const service of await this.#services()) {
      if (this.#found.size >= limit) break
      if (options.signal?.aborted) throw new AbortError()
      try {
        await this.request(service, numPeers, options)
      } catch (error) {
        if (options.signal?.aborted) throw new AbortError('peer exchange aborted', { cause: error })
        this.#components.logger.debug('peer exchange with %s failed: %s', service, String(error))
      }
    }
    return this.peers.slice(0, limit)
  }

  #requireStarted(): void {
    if (!this.#started) throw new NotStartedError('waku2 peer exchange is not started')
  }

  /** Configured service peers, then connected peers whose identify listed the protocol. */
  async #services(): Promise<string[]> {
    const services = [...this.#settings.servicePeers]
    const connected = await this.#components.host.peerInfo().catch(() => [])
    for (const { id, protocols } of connected) {
      if (services.some((service) => service === id || service.endsWith(`/p2p/${id}`))) continue
      if (protocols.includes(PEER_EXCHANGE_CODEC)) services.push(id)
    }
    return services
  }

  /** Keeps a verified record as a peer when it is new or newer and of our cluster; returns it then. */
  #record(enr: Enr): DiscoveredPeer | undefined {
    if (clusterMismatch(enr, this.#settings.clusterId)) return undefined
    const peer = peerFromEnr(enr, this.#components.secp)
    if (peer.id === this.#components.host.peerId) return undefined
    const known = this.#found.get(peer.id)
    if (known !== undefined && known.seq >= enr.seq) return known.peer
    this.#found.set(peer.id, { seq: enr.seq, peer })
    this.safeDispatchEvent('peer:discovery', peer)
    this.#components.events.safeDispatchEvent('peer:discovery', {
      id: peer.id,
      overlay: 'libp2p',
      source: this.source,
      ...(peer.enr === undefined ? {} : { enr: peer.enr }),
      ...(peer.enode === undefined ? {} : { enode: peer.enode }),
      ...(peer.multiaddrs === undefined ? {} : { multiaddrs: peer.multiaddrs }),
    })
    return peer
  }

  readonly #onDiscovery = (event: CustomEvent<ParleyEvents['peer:discovery']>): void => {
    const { source, enr } = event.detail
    if (enr !== undefined && this.#settings.sources.includes(source)) this.#cache.add(enr)
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      void this.findPeers(this.#settings.numPeers, { signal: this.#stopping.signal })
        .catch((error: unknown) => {
          if (!this.#stopping.signal.aborted)
            this.#components.logger.debug('peer exchange round failed: %s', String(error))
        })
        .finally(() => {
          if (this.#started) this.#schedule(this.#settings.queryIntervalMs)
        })
    }, delayMs)
  }
}
