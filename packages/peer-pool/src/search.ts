/**
 * The discovery search while the pool is `fast` or `slow`: polls the sources at that mode's
 * interval and, when a fast search finds nothing new, asks them to re-check (backing off).
 */
import type { DiscoveredPeer } from '@parley/interfaces'
import type { PeerPoolMode, ResolvedInit } from './api.ts'
import type { DiscoverySources } from './discovery-sources.ts'
import { RefreshBackoff } from './refresh-backoff.ts'

/** What the search reads from, and hands to, the pool. */
export interface SearchRun {
  mode(): PeerPoolMode
  /** aborts at the pool's stop */
  signal(): AbortSignal
  /** true when the peer was not known before; `news` for an announcement, not a poll's answer */
  remember(peer: DiscoveredPeer, news: boolean): boolean
  /** forgets discovered peers no source announced for a while */
  expire(): void
  dialMore(): void
}

export class Search {
  readonly #init: ResolvedInit
  readonly #sources: DiscoverySources
  readonly #run: SearchRun
  readonly #refreshes: RefreshBackoff
  #timer: unknown

  constructor(init: ResolvedInit, sources: DiscoverySources, run: SearchRun) {
    this.#init = init
    this.#sources = sources
    this.#run = run
    this.#refreshes = new RefreshBackoff(init.starvedRefreshMs)
  }

  /** Starts the re-check back-off over: the next re-check is one `starvedRefreshMs` from `now`. */
  resetRefreshes(now: number): void {
    this.#refreshes.reset(now)
  }

  /** Cancels the next poll. */
  cancel(): void {
    this.#init.clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Asks every running source for peers, then schedules the next poll for the current mode. */
  async poll(): Promise<void> {
    if (!this.#searching()) return
    const signal = this.#run.signal()
    const limit = Object.values(this.#init.topics).reduce((sum, { max }) => sum + max, 0) * 2
    let fresh = 0
    for (const peer of await this.#sources.find(limit, signal)) {
      if (this.#run.remember(peer, false)) fresh++
    }
    if (!this.#searching()) return
    this.#run.expire()
    this.#run.dialMore()
    // Dials of known peers may be in flight, but they have failed before: only news helps now.
    if (this.#run.mode() === 'fast' && fresh === 0) this.#refreshStarved()
    // A dial may have changed the mode already (a host can report a connection synchronously).
    if (!this.#searching()) return
    this.#init.clock.clearTimeout(this.#timer)
    const delay = this.#run.mode() === 'fast' ? this.#init.fastIntervalMs : this.#init.slowIntervalMs
    this.#timer = this.#init.clock.setTimeout(() => void this.poll(), delay)
  }

  #searching(): boolean {
    const mode = this.#run.mode()
    return mode === 'fast' || mode === 'slow'
  }

  /** Starved and searching in vain: asks the sources to re-check (a republished DNS tree), backing off. */
  #refreshStarved(): void {
    const { clock } = this.#init
    if (!this.#refreshes.due(clock.now())) return
    this.#refreshes.record(clock.now(), false)
    void this.#sources.refresh(this.#run.signal()).then((peers) => {
      if (this.#run.mode() === 'stopped') return
      // The sources reported the new peers through `peer:discovery` as well.
      for (const peer of peers) this.#run.remember(peer, true)
      if (peers.length > 0) this.#refreshes.record(clock.now(), true)
      this.#run.dialMore()
    })
  }
}
