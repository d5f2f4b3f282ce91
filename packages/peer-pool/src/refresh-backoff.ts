/**
 * When a starved pool may next ask its sources to re-check (a DNS tree's root): no sooner than
 * `floorMs` after the pool started or last asked, the wait doubling while re-checks bring nothing
 * new, up to `MAX_FACTOR` × `floorMs`. go-ethereum slows its root re-checks down the same way.
 */
export class RefreshBackoff {
  static readonly MAX_FACTOR = 16
  readonly #floorMs: number
  #delayMs: number
  #nextAt = 0

  constructor(floorMs: number) {
    this.#floorMs = floorMs
    this.#delayMs = floorMs
  }

  /** Starts over: the next re-check is one floor from `now`. */
  reset(now: number): void {
    this.#delayMs = this.#floorMs
    this.#nextAt = now + this.#floorMs
  }

  due(now: number): boolean {
    return now >= this.#nextAt
  }

  /** Records a re-check made at `now`; the next one waits longer unless `found` new peers. */
  record(now: number, found: boolean): void {
    if (found) this.#delayMs = this.#floorMs
    this.#nextAt = now + this.#delayMs
    if (!found) this.#delayMs = Math.min(this.#delayMs * 2, this.#floorMs * RefreshBackoff.MAX_FACTOR)
  }
}
