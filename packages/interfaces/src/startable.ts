import type { AbortOptions } from './abort.ts'

/**
 * A service with a lifecycle. `start` and `stop` must be idempotent: a second call while already in
 * that state resolves without doing anything. A `start` that fails must release what it acquired.
 */
export interface Startable {
  start(options?: AbortOptions): Promise<void> | void
  stop(options?: AbortOptions): Promise<void> | void
  isStarted?(): boolean
}

/** True when `value` has callable `start` and `stop` methods. */
export function isStartable(value: unknown): value is Startable {
  if (value == null || typeof value !== 'object') return false
  const candidate = value as Partial<Startable>
  return typeof candidate.start === 'function' && typeof candidate.stop === 'function'
}
