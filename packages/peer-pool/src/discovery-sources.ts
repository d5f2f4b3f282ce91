import type { DiscoveredPeer, EventHandler, Logger, PeerDiscovery } from '@parley/interfaces'

/**
 * The discovery sources as the pool drives them: suspended (stopped) and resumed (started) one
 * request after another, so the last request wins; asked for peers; and, at the pool's stop, the
 * ones the pool started are stopped again.
 */
export class DiscoverySources {
  readonly #sources: readonly PeerDiscovery[]
  readonly #log: Logger
  /** sources the pool has started (and so stops at its own stop) */
  readonly #resumed = new Set<PeerDiscovery>()
  #queue: Promise<void> = Promise.resolve()

  constructor(sources: readonly PeerDiscovery[], log: Logger) {
    this.#sources = sources
    this.#log = log
  }

  listen(handler: EventHandler<CustomEvent<DiscoveredPeer>>): void {
    for (const source of this.#sources) source.addEventListener('peer:discovery', handler)
  }

  unlisten(handler: EventHandler<CustomEvent<DiscoveredPeer>>): void {
    for (const source of this.#sources) source.removeEventListener('peer:discovery', handler)
  }

  /** Stops every source, after the starts and stops requested before. Never rejects. */
  suspend(): Promise<void> {
    return this.#enqueue(async (source) => {
      try {
        await source.stop()
      } catch (error) {
        this.#log.warn('stopping %s failed', source.source, error)
      }
    })
  }

  /** Starts every stopped source unless `signal` has aborted by then. Never rejects. */
  resume(signal: AbortSignal): Promise<void> {
    return this.#enqueue(async (source) => {
      if (source.isStarted?.() === true || signal.aborted) return
      try {
        await source.start({ signal })
        this.#resumed.add(source)
      } catch (error) {
        if (!signal.aborted) this.#log.warn('starting %s failed', source.source, error)
      }
    })
  }

  /** Asks every running source for up to `limit` peers; a failing source contributes none. */
  async find(limit: number, signal: AbortSignal): Promise<DiscoveredPeer[]> {
    const found = await Promise.all(
      this.#sources.map(async (source) => {
        if (source.isStarted?.() === false) return []
        try {
          return await source.findPeers(limit, { signal })
        } catch (error) {
          if (!signal.aborted) this.#log.debug('findPeers on %s failed', source.source, error)
          return []
        }
      }),
    )
    return found.flat()
  }

  /** Waits for queued requests, then stops the sources the pool started. */
  async release(): Promise<void> {
    await this.#queue
    await Promise.allSettled([...this.#resumed].map(async (source) => source.stop()))
    this.#resumed.clear()
  }

  #enqueue(each: (source: PeerDiscovery) => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      await Promise.all(this.#sources.map(each))
    })
    return this.#queue
  }
}
