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

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** Lower-case hex, used as a map key for byte strings. */
export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += HEX[byte]
  return hex
}
