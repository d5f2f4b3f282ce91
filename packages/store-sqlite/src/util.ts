import { AbortError, type AbortOptions, InvalidParametersError } from '@parley/interfaces'

export function throwIfAborted(options?: AbortOptions): void {
  const signal = options?.signal
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason })
}

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n

/** SQLite integers are signed 64-bit; a value outside that range cannot be stored or compared. */
export function assertInt64(value: bigint, name: string): void {
  if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
    throw new InvalidParametersError(`${name} must be a bigint in the signed 64-bit range, got ${value}`)
  }
}

/**
 * The smallest key greater than every key starting with `prefix`: drop trailing 0xff bytes and
 * increment the last remaining one. Undefined when no such key exists (empty or all-0xff prefix),
 * so the scan has no upper bound.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let length = prefix.length
  while (length > 0 && prefix[length - 1] === 0xff) length -= 1
  if (length === 0) return undefined
  const end = prefix.slice(0, length)
  end[length - 1] = (end[length - 1] as number) + 1
  return end
}

export function positiveInteger(value: number, name: string): number {
  if (Number.isInteger(value) && value > 0) return value
  throw new InvalidParametersError(`${name} must be a positive integer, got ${value}`)
}
