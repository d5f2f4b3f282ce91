import { AbortError, type AbortOptions, InvalidParametersError } from '@parley/interfaces'

/** Throws `AbortError` (with the signal's reason as cause) once `options.signal` has aborted. */
export function throwIfAborted(options?: AbortOptions): void {
  const signal = options?.signal
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason })
}

/** A store option that must be a positive integer (a page size, a pool size, a byte quota). */
export function positiveInteger(value: number, name: string): number {
  if (Number.isInteger(value) && value > 0) return value
  throw new InvalidParametersError(`${name} must be a positive integer, got ${value}`)
}
