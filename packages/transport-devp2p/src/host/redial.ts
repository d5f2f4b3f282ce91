/**
 * Redialling static peers: exponential back-off from `initialMs`, doubling per failed attempt up
 * to `maxMs`, with ±20 % jitter so that many nodes restarting together do not dial in lockstep.
 */
export interface RedialDelay {
  /** First delay after a disconnect or failed dial. Default 1000 ms. */
  initialMs?: number
  /** Largest delay. Default 60000 ms. */
  maxMs?: number
}

const JITTER = 0.2

/** The delay before attempt `attempt` (0 = first retry). */
export function redialDelayMs(attempt: number, delay: RedialDelay = {}, random = Math.random): number {
  const initial = delay.initialMs ?? 1000
  const max = delay.maxMs ?? 60_000
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30))
  return Math.max(0, Math.round(base * (1 + JITTER * (2 * random() - 1))))
}

/** One timer per static peer; `clear` cancels them all (on stop). */
export class RedialTimers {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>()
  readonly #attempts = new Map<string, number>()
  readonly #delay: RedialDelay

  constructor(delay: RedialDelay = {}) {
    this.#delay = delay
  }

  /** Runs `dial` after the back-off for `key`'s next attempt, replacing a timer already set. */
  schedule(key: string, dial: () => void): void {
    const attempt = this.#attempts.get(key) ?? 0
    this.#attempts.set(key, attempt + 1)
    clearTimeout(this.#timers.get(key))
    const timer = setTimeout(
      () => {
        this.#timers.delete(key)
        dial()
      },
      redialDelayMs(attempt, this.#delay),
    )
    this.#timers.set(key, timer)
  }

  /** A connection succeeded: the next retry starts from the initial delay again. */
  reset(key: string): void {
    this.#attempts.delete(key)
  }

  /** Forgets `key`: its timer and its attempt count. */
  cancel(key: string): void {
    clearTimeout(this.#timers.get(key))
    this.#timers.delete(key)
    this.#attempts.delete(key)
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer)
    this.#timers.clear()
    this.#attempts.clear()
  }
}
