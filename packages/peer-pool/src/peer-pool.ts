import {
  AbortError,
  type AbortOptions,
  type Components,
  type Devp2pHost,
  type DiscoveredPeer,
  type KeyValueStore,
  type Logger,
  type PeerDiscovery,
  type PeerEventDetail,
} from '@parley/interfaces'
import type { PeerPool, PeerPoolMode, ResolvedInit } from './api.ts'
import { CacheWriter } from './cache-writer.ts'
import { type Candidate, Candidates } from './candidates.ts'
import { Dialler } from './dialler.ts'
import { DiscoverySources } from './discovery-sources.ts'
import { type PoolMetrics, poolMetrics } from './metrics.ts'
import { type CachedPeer, PeerCache } from './peer-cache.ts'
import { Search } from './search.ts'

export interface PoolComponents {
  host: Devp2pHost
  sources: PeerDiscovery[]
  store: KeyValueStore | undefined
  events: Components['events']
  log: Logger
  metrics: Components['metrics']
}

/**
 * The pool: counts peers per topic, drives discovery fast/slow/suspended and dials through devp2p.
 * Only peers it dialled count toward a topic (status-go's `TopicPool.ConfirmAdded` ignores inbound
 * ones): a node filled by inbound peers would otherwise stop searching and cache no one.
 */
export class DevP2pPeerPool implements PeerPool {
  readonly #init: ResolvedInit
  readonly #c: PoolComponents
  readonly #topicNames: string[]
  readonly #cache: PeerCache | undefined
  readonly #candidates: Candidates
  readonly #dialler: Dialler
  readonly #writer: CacheWriter
  readonly #search: Search
  readonly #sources: DiscoverySources
  readonly #metrics: PoolMetrics
  #mode: PeerPoolMode = 'stopped'
  #satisfied = false
  #discovering = false
  #summary = ''
  #startedAt = 0
  #sawFirstPeer = false
  #controller = new AbortController()
  #warmUp: Promise<void> = Promise.resolve()
  #stopping: Promise<void> | undefined

  constructor(init: ResolvedInit, components: PoolComponents) {
    this.#init = init
    this.#c = components
    this.#topicNames = Object.keys(init.topics)
    this.#candidates = new Candidates(init.topics)
    this.#sources = new DiscoverySources(components.sources, components.log)
    this.#cache = components.store === undefined ? undefined : new PeerCache(components.store, init.cacheSize)
    const { host, log } = components
    const metrics = poolMetrics(components.metrics)
    this.#metrics = metrics
    this.#writer = new CacheWriter(this.#cache, init.clock, log)
    const run = { mode: () => this.#mode, signal: () => this.#controller.signal }
    this.#search = new Search(init, this.#sources, {
      ...run,
      remember: (peer, news) => this.#remember(peer, 'discovery', news),
      expire: () => this.#expire(),
      dialMore: () => this.#dialler.dialMore(),
    })
    const parts = { init, host, log, metrics, candidates: this.#candidates, writer: this.#writer }
    this.#dialler = new Dialler(parts, {
      ...run,
      connectedIds: () => this.#connectedIds(),
      peerCounts: () => this.peerCounts(),
      settled: () => this.#dialSettled(),
    })
  }

  get mode(): PeerPoolMode {
    return this.#mode
  }

  get satisfied(): boolean {
    return this.#satisfied
  }

  get discovering(): boolean {
    return this.#discovering
  }

  isStarted(): boolean {
    return this.#mode !== 'stopped'
  }

  peerCounts(): Record<string, number> {
    const counts = Object.fromEntries(this.#topicNames.map((topic) => [topic, 0]))
    for (const id of this.#connectedIds()) {
      if (!this.#dialler.hasDialled(id)) continue
      for (const topic of this.#candidates.get(id)?.topics ?? []) counts[topic] = (counts[topic] ?? 0) + 1
    }
    return counts
  }

  async cachedPeers(topic: string, options?: AbortOptions): Promise<CachedPeer[]> {
    return (await this.#cache?.list(topic, options)) ?? []
  }

  async start(options?: AbortOptions): Promise<void> {
    if (options?.signal?.aborted) throw new AbortError('peer pool start aborted')
    await this.#stopping
    if (this.#mode !== 'stopped') return
    this.#controller = new AbortController()
    this.#satisfied = false
    this.#sawFirstPeer = false
    this.#startedAt = this.#init.clock.now()
    this.#search.resetRefreshes(this.#startedAt)
    this.#dialler.clear()
    this.#mode = 'cache'
    this.#c.events.addEventListener('peer:connect', this.#onPeerChange)
    this.#c.events.addEventListener('peer:disconnect', this.#onPeerChange)
    this.#sources.listen(this.#onDiscovery)
    this.#warmUp = this.#dialCached().catch((error: unknown) => {
      this.#c.log.warn('reading the peer cache failed', error)
      this.#leaveCacheMode()
    })
  }

  async stop(): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping
    if (this.#mode === 'stopped') return
    this.#stopping = this.#shutDown().finally(() => {
      this.#stopping = undefined
    })
    return this.#stopping
  }

  async #shutDown(): Promise<void> {
    this.#mode = 'stopped'
    this.#controller.abort()
    this.#search.cancel()
    this.#c.events.removeEventListener('peer:connect', this.#onPeerChange)
    this.#c.events.removeEventListener('peer:disconnect', this.#onPeerChange)
    this.#sources.unlisten(this.#onDiscovery)
    await this.#warmUp
    await this.#dialler.idle()
    // The peers connected at the end are the freshest the next start can dial.
    for (const id of this.#connectedIds()) this.#keep(id)
    await this.#writer.settled()
    await this.#sources.release()
    this.#setDiscovering(false)
  }

  /** Dials the cached peers with discovery held back: a restart needs no discovery. */
  async #dialCached(): Promise<void> {
    const { signal } = this.#controller
    const cached = new Map<string, CachedPeer>()
    for (const topic of this.#topicNames) {
      for (const peer of await this.cachedPeers(topic, { signal })) cached.set(peer.id, peer)
    }
    if (this.#mode !== 'cache') return
    for (const peer of cached.values()) this.#remember(peer, 'cache')
    if (cached.size === 0) return this.#leaveCacheMode()
    this.#c.log.debug('dialling %d cached peers before any discovery', cached.size)
    await this.#sources.suspend()
    if (this.#mode !== 'cache') return
    this.#dialler.dialMore()
    if (this.#dialler.pending === 0) this.#leaveCacheMode()
  }

  /** After each dial: in cache mode, the next cached peer (or discovery once none is left); else a recount. */
  #dialSettled(): void {
    if (this.#mode === 'cache') {
      this.#dialler.dialMore()
      if (this.#dialler.pending === 0) this.#leaveCacheMode()
    } else this.#evaluate()
  }

  #leaveCacheMode(): void {
    if (this.#mode !== 'cache') return
    this.#mode = 'fast'
    this.#evaluate(true)
  }

  readonly #onDiscovery = (event: CustomEvent<DiscoveredPeer>): void => {
    if (this.#mode === 'stopped') return
    this.#remember(event.detail, 'discovery')
    this.#dialler.dialMore()
  }

  #connectedIds(): string[] {
    return this.#c.host.isStarted?.() === false ? [] : this.#c.host.peers().map((peer) => peer.id)
  }

  /**
   * Caches a known candidate as connected now. Besides dialled peers this covers inbound peers a
   * source announced: they do not count, but they are live and worth redialling after a restart.
   */
  #keep(id: string): void {
    const candidate = this.#candidates.get(id)
    if (candidate !== undefined) void this.#writer.write(id, candidate)
  }

  readonly #onPeerChange = (event: CustomEvent<PeerEventDetail>): void => {
    if (this.#mode === 'stopped' || event.detail.overlay !== 'devp2p') return
    const connected = event.type === 'peer:connect'
    const { id } = event.detail
    this.#sources.mark(id, connected)
    // A connection our own dial made counts at once; an inbound one never does.
    if (connected && this.#dialler.isDialling(id)) this.#dialler.countAsDialled(id)
    else if (connected) this.#keep(id)
    else {
      // Last seen alive now: the cache keeps the most recently live peers.
      if (this.#dialler.forget(id) || this.#candidates.get(id) !== undefined) this.#keep(id)
    }
    if (connected && !this.#sawFirstPeer) {
      this.#sawFirstPeer = true
      this.#metrics.timeToFirstPeer.set((this.#init.clock.now() - this.#startedAt) / 1000)
    }
    const counts = this.peerCounts()
    const summary = JSON.stringify(counts)
    if (summary !== this.#summary) {
      this.#summary = summary
      this.#c.events.safeDispatchEvent('discovery:summary', { peers: counts })
    }
    if (this.#mode !== 'cache') this.#evaluate()
  }

  /** Remembers a candidate; true when it is new. A new one already connected (inbound) is cached. */
  #remember(peer: DiscoveredPeer | CachedPeer, origin: Candidate['origin'], news = true): boolean {
    const added = this.#candidates.remember(peer, origin, this.#init.clock.now(), news)
    if (added && origin === 'discovery' && this.#connectedIds().includes(peer.id)) this.#keep(peer.id)
    return added
  }

  /** Recounts, announces a change of satisfaction, moves between modes and dials what is missing. */
  #evaluate(force = false): void {
    if (this.#mode === 'stopped' || this.#mode === 'cache') return
    const counts = this.peerCounts()
    for (const [topic, count] of Object.entries(counts)) this.#metrics.peers.set(count, { topic })
    const limits = this.#init.topics
    const satisfied = this.#topicNames.every((topic) => (counts[topic] ?? 0) >= (limits[topic]?.min ?? 0))
    const full = this.#topicNames.every((topic) => (counts[topic] ?? 0) >= (limits[topic]?.max ?? 0))
    if (satisfied !== this.#satisfied) {
      this.#satisfied = satisfied
      if (satisfied) this.#search.resetRefreshes(this.#init.clock.now())
      this.#c.events.safeDispatchEvent(satisfied ? 'peerpool:satisfied' : 'peerpool:unsatisfied', {
        peers: counts,
      })
    }
    const mode: PeerPoolMode = full ? 'suspended' : satisfied ? 'slow' : 'fast'
    if (mode !== this.#mode || force) this.#enterMode(mode)
    this.#dialler.dialMore()
  }

  #enterMode(mode: PeerPoolMode): void {
    const previous = this.#mode
    this.#mode = mode
    this.#search.cancel()
    this.#c.log.debug('mode %s → %s', previous, mode)
    if (mode === 'suspended') {
      this.#setDiscovering(false)
      void this.#sources.suspend()
      return
    }
    // Between fast and slow the sources are already running; only the poll interval changes.
    const resumed = this.#discovering ? Promise.resolve() : this.#sources.resume(this.#controller.signal)
    this.#setDiscovering(true)
    void resumed.then(() => this.#search.poll())
  }

  #setDiscovering(on: boolean): void {
    if (on === this.#discovering) return
    this.#discovering = on
    this.#metrics.discoveryRunning.set(on ? 1 : 0)
    this.#c.events.safeDispatchEvent(on ? 'discovery:started' : 'discovery:stopped', {
      peers: this.#c.host.isStarted?.() === false ? {} : this.peerCounts(),
    })
  }

  /** Forgets discovered peers no source has announced for `foundPeerExpiryMs` (cached ones stay). */
  #expire(): void {
    const connected = new Set(this.#connectedIds())
    this.#candidates.expire(
      this.#init.clock.now() - this.#init.foundPeerExpiryMs,
      (id) => connected.has(id) || this.#dialler.isDialling(id),
    )
  }
}
