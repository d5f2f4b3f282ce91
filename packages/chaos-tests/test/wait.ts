/** Condition waits with a deadline (no fixed sleeps) and a stopwatch for the recovery figures. */
import { TimeoutError } from '@parley/interfaces'

/**
 * Polls `condition` every `pollMs` until it holds and resolves with the milliseconds it took; throws
 * `TimeoutError` naming `what` (and `explain()`'s account of the state, when given) after `timeoutMs`.
 */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  explain?: () => string | Promise<string>,
  pollMs = 25,
): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await condition()) return performance.now() - started
    if (performance.now() - started > timeoutMs) {
      const state = explain === undefined ? '' : `: ${await explain()}`
      throw new TimeoutError(`${what} did not happen within ${timeoutMs} ms${state}`)
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

/** Milliseconds since `start`, rounded, for reports. */
export function since(start: number): number {
  return Math.round(performance.now() - start)
}
