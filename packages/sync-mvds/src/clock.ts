/** Time as the sync service sees it; tests pass a fake one and advance it epoch by epoch. */
export interface Clock {
  /** milliseconds since the Unix epoch (message timestamps are taken from it) */
  now(): number
  /** The callback may return a promise; a fake clock can await it, the system clock ignores it. */
  setTimeout(callback: () => unknown, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
