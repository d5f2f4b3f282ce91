import type { Logger } from '@parley/interfaces'
import type { Candidate } from './candidates.ts'
import type { Clock } from './clock.ts'
import type { CachedPeer, PeerCache } from './peer-cache.ts'

/**
 * Records live peers in the cache as connected now. Writes take no stop signal: a connection that
 * was made is worth remembering, so the pool's stop waits for them (`settled`) instead.
 */
export class CacheWriter {
  readonly #cache: PeerCache | undefined
  readonly #clock: Clock
  readonly #log: Logger
  readonly #pending = new Set<Promise<void>>()

  constructor(cache: PeerCache | undefined, clock: Clock, log: Logger) {
    this.#cache = cache
    this.#clock = clock
    this.#log = log
  }

  /** Writes `candidate` under its topics; never rejects. */
  write(id: string, candidate: Candidate): Promise<void> {
    if (this.#cache === undefined) return Promise.resolve()
    const entry: CachedPeer = {
      id,
      enode: candidate.enode,
      lastConnected: this.#clock.now(),
      ...(candidate.capabilities === undefined ? {} : { capabilities: candidate.capabilities }),
    }
    const write = this.#cache
      .add(entry, candidate.topics)
      .catch((error: unknown) => this.#log.warn('caching %s failed', candidate.enode, error))
      .finally(() => this.#pending.delete(write))
    this.#pending.add(write)
    return write
  }

  /** Waits for the writes started so far. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending])
  }
}
