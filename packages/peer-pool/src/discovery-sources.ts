import type { DiscoveredPeer, EventHandler, Logger, PeerDiscovery } from '@parley/interfaces'

/**
 * The discovery sources as the pool drives them. Suspending pauses a source that can pause (its
 * other work, such as a rendezvous client's registrations, goes on) and stops one that cannot;
 * resuming undoes that. Requests run one after another, so the last one wins. At the pool's stop,
 * the sources the pool started are stopped again.
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

  get size(): number {
    return this.#sources.length
  }

  listen(handler: EventHandler<CustomEvent<DiscoveredPeer>>): void {
    for (const source of this.#sources) source.addEventListener('peer:discovery', handler)
  }

  unlisten(handler: EventHandler<CustomEvent<DiscoveredPeer>>): void {
    for (const source of this.#sources) source.removeEventListener('peer:discovery', handler)
  }

  /** Tells every source that a peer connected (or went away), for those that keep per-peer state. */
  mark(id: string, connected: boolean): void {
    for (const source of this.#sources) {
      try {
        if (connected) source.markConnected?.(id)
        else source.markDisconnected?.(id)
      } catch (error) {
        this.#log.warn('%s rejected peer feedback', source.source, error)
      }
    }
  }

  /** Pauses (or stops) every source, after the requests made before. Never rejects. */
  suspend(): Promise<void> {
    return this.#enqueue(async (source) => {
      try {
        if (source.pause !== undefined) source.pause()
        else await source.stop()
      } catch (error) {
        this.#log.warn('suspending %s failed', source.source, error)
      }
    })
  }

  /** Starts every stopped source and resumes the paused ones, unless `signal` has aborted by then. */
  resume(signal: AbortSignal): Promise<void> {
    return this.#enqueue(async (source) => {
      if (signal.aborted) return
      try {
        if (source.isStarted?.() !== true) {
          await source.start({ signal })
          this.#resumed.add(source)
        }
        if (!signal.aborted) source.resume?.()
      } catch (error) {
        if (!signal.aborted) this.#log.warn('resuming %s failed', source.source, error)
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

  /** Asks every running source that can re-check (`refresh`) to do so now; resolves with the new peers. */
  async refresh(signal: AbortSignal): Promise<DiscoveredPeer[]> {
    const found = await Promise.all(
      this.#sources.map(async (source) => {
        if (source.refresh === undefined || source.isStarted?.() === false) return []
        try {
          return await source.refresh({ signal })
        } catch (error) {
          if (!signal.aborted) this.#log.debug('refresh on %s failed', source.source, error)
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
