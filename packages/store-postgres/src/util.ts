import { AbortError, type AbortOptions, InvalidParametersError } from '@parley/interfaces'

export function throwIfAborted(options?: AbortOptions): void {
  const signal = options?.signal
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason })
}

/** pg hands out Buffers; callers get plain Uint8Arrays (same memory, no copy). */
export function bytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * The smallest key greater than every key starting with `prefix`, or undefined when none exists
 * (an empty or all-0xff prefix).
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
