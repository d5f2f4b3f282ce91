import type { Startable } from '@parley/interfaces'

/**
 * How a suite gets instances: `setup` makes a fresh one (not necessarily started), `teardown`
 * releases whatever `setup` acquired (temporary directories, database connections…). Suites call
 * both around every test, and call `teardown` even when the test fails.
 */
export interface TestSetup<T, Args = void> {
  setup(args?: Args): Promise<T>
  teardown(instance: T): Promise<void>
}

/** One check of a suite: throws (an `expect` failure) when `instance` breaks the contract. */
export type Check<T> = (instance: T) => Promise<void>

/** Runs `check` on a fresh instance, started first when `start` is set; always stops and tears down. */
export function runCheck<T>(setup: TestSetup<T>, check: Check<T>, start = false): () => Promise<void> {
  return async () => {
    const instance = await setup.setup()
    try {
      if (start) await (instance as Startable).start()
      await check(instance)
    } finally {
      try {
        if (start) await (instance as Startable).stop()
      } finally {
        await setup.teardown(instance)
      }
    }
  }
}

/** Whatever `run` rejects or throws with, or `undefined` if it succeeds. */
export async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run()
    return undefined
  } catch (error) {
    return error
  }
}

/** How long `settle` lets one-shot timers run out: libraries debounce with 1 ms timers (it-queue). */
export const SETTLE_MS = 20

/**
 * Waits for two turns of the event loop and then `SETTLE_MS`, so handles closed in `stop` leave the
 * active list and short one-shot timers fire. What is still active after that keeps running: an
 * interval or a long timer is still reported.
 */
export async function settle(): Promise<void> {
  const nextTurn = typeof setImmediate === 'function' ? setImmediate : (run: () => void) => setTimeout(run, 0)
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => nextTurn(resolve))
  await new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS))
}

const LEAKABLE = [
  'TCPServerWrap',
  'TCPSocketWrap',
  'TCPWrap',
  'UDPWrap',
  'Timeout',
  'Immediate',
  'FSReqCallback',
]

/** Counts of the active handle kinds a service could leak (sockets, timers), or undefined off Node. */
export function activeResources(): Record<string, number> | undefined {
  const info = (globalThis as { process?: { getActiveResourcesInfo?: () => string[] } }).process
    ?.getActiveResourcesInfo
  if (info === undefined) return undefined
  const counts: Record<string, number> = {}
  for (const kind of info()) if (LEAKABLE.includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/** Kinds with more active handles in `after` than in `before`. */
export function grownResources(
  before: Record<string, number> | undefined,
  after: Record<string, number> | undefined,
): string[] {
  if (before === undefined || after === undefined) return []
  return Object.keys(after).filter((kind) => (after[kind] ?? 0) > (before[kind] ?? 0))
}
