import { AbortError, type AbortOptions } from '@parley/interfaces'

export function throwIfAborted(options?: AbortOptions): void {
  const signal = options?.signal
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason })
}

/**
 * Binary search over `items[low, high)` partitioned so that `isAfter` is false for a prefix and true
 * for the rest: returns the index of the first item for which it is true (`high` if none).
 */
export function partitionPoint<T>(
  items: readonly T[],
  isAfter: (item: T) => boolean,
  low = 0,
  high = items.length,
): number {
  while (low < high) {
    const middle = (low + high) >>> 1
    if (isAfter(items[middle] as T)) high = middle
    else low = middle + 1
  }
  return low
}

/** Unsigned lexicographic byte order, shorter first on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) {
    const difference = (a[index] as number) - (b[index] as number)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** Lower-case hex, used as a map key for byte strings. */
export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += HEX[byte]
  return hex
}
