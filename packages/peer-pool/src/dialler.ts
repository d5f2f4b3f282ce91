/**
 * Dialling candidates through devp2p, at most `maxPendingDials` at once, and remembering which
 * connected peers the pool dialled itself: the only ones that count toward a topic.
 */
import type { Devp2pHost, Logger } from '@parley/interfaces'
import type { PeerPoolMode, ResolvedInit } from './api.ts'
import { boundedDial } from './bounded-dial.ts'
import type { CacheWriter } from './cache-writer.ts'
import { type Candidate, type Candidates, retryDelay } from './candidates.ts'
import type { PoolMetrics } from './metrics.ts'

/** What the dialler reads from, and reports to, the pool. */
export interface DialRun {
  mode(): PeerPoolMode
  /** aborts at the pool's stop */
  signal(): AbortSignal
  connectedIds(): string[]
  peerCounts(): Record<string, number>
  /** a dial ended, either way */
  settled(): void
}

export interface DiallerParts {
  init: ResolvedInit
  host: Devp2pHost
  candidates: Candidates
  writer: CacheWriter
  metrics: PoolMetrics
  log: Logger
}

export class Dialler {
  readonly #parts: DiallerParts
  readonly #run: DialRun
  readonly #inFlight = new Map<string, Promise<void>>()
  /** connected peers the pool dialled: the only ones that count toward a topic */
  readonly #dialled = new Set<string>()

  constructor(parts: DiallerParts, run: DialRun) {
    this.#parts = parts
    this.#run = run
  }

  /** dials in flight */
  get pending(): number {
    return this.#inFlight.size
  }

  isDialling(id: string): boolean {
    return this.#inFlight.has(id)
  }

  hasDialled(id: string): boolean {
    return this.#dialled.has(id)
  }

  /** Counts a connected peer as ours: its connection came from our dial. */
  countAsDialled(id: string): void {
    this.#dialled.add(id)
  }

  /** Stops counting `id`; true when it was counted. */
  forget(id: string): boolean {
    return this.#dialled.delete(id)
  }

  /** Forgets every dialled peer, for a fresh start. */
  clear(): void {
    this.#dialled.clear()
  }

  /** Waits for the dials in flight to end. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight.values()])
  }

  /** Dials candidates for topics below `max`, cached ones first, at most `maxPendingDials` at once. */
  dialMore(): void {
    const { init, host, candidates } = this.#parts
    if (this.#run.mode() === 'stopped' || host.enode === undefined) return
    const counts = this.#run.peerCounts()
    for (const id of this.#inFlight.keys()) {
      for (const topic of candidates.get(id)?.topics ?? []) counts[topic] = (counts[topic] ?? 0) + 1
    }
    const connected = new Set(this.#run.connectedIds())
    const now = init.clock.now()
    for (const [id, candidate] of candidates.entries()) {
      if (this.#inFlight.size >= init.maxPendingDials) return
      if (connected.has(id) || this.#inFlight.has(id) || candidate.retryAt > now) continue
      const wanted = candidate.topics.some((topic) => (counts[topic] ?? 0) < (init.topics[topic]?.max ?? 0))
      if (!wanted) continue
      for (const topic of candidate.topics) counts[topic] = (counts[topic] ?? 0) + 1
      this.#dial(id, candidate)
    }
  }

  #dial(id: string, candidate: Candidate): void {
    const origin = this.#run.mode() === 'cache' ? 'cache' : 'discovery'
    const { init, host, metrics, writer, log } = this.#parts
    const { clock } = init
    // Dialling from a microtask: the attempt is in flight before a host reports the connection.
    const attempt = Promise.resolve()
      .then(() => boundedDial(host, candidate.enode, this.#run.signal(), init.dialTimeoutMs, clock))
      .then(async () => {
        metrics.dials.inc({ origin, result: 'connected' })
        candidate.failures = 0
        // The host may report the connection before or after the dial resolves.
        if (this.#run.connectedIds().includes(id)) this.#dialled.add(id)
        await writer.write(id, candidate)
      })
      .catch((error: unknown) => {
        metrics.dials.inc({ origin, result: 'failed' })
        candidate.failures += 1
        candidate.retryAt = clock.now() + retryDelay(candidate.failures, init)
        log.debug('dial of %s failed: %s', candidate.enode, error)
      })
      .finally(() => {
        this.#inFlight.delete(id)
        this.#run.settled()
      })
    this.#inFlight.set(id, attempt)
  }
}
