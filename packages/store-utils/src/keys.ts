import type { AbortOptions, KeyValueBatch, KeyValueEntriesOptions } from '@parley/interfaces'
import { throwIfAborted } from './options.ts'

/** Unsigned lexicographic byte order, shorter first on a common prefix: the order of every key space. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) {
    const difference = (a[index] as number) - (b[index] as number)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

/**
 * The smallest key greater than every key starting with `prefix`: drop trailing 0xff bytes and
 * increment the last remaining one. Undefined when no such key exists (an empty or all-0xff
 * prefix), so a prefix scan has no upper bound.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let length = prefix.length
  while (length > 0 && prefix[length - 1] === 0xff) length -= 1
  if (length === 0) return undefined
  const end = prefix.slice(0, length)
  end[length - 1] = (end[length - 1] as number) + 1
  return end
}

export type KeyValueOperation =
  | { type: 'put'; key: Uint8Array; value: Uint8Array }
  | { type: 'delete'; key: Uint8Array }

/**
 * A `KeyValueBatch` that records copies of its writes (callers may reuse their buffers) and on
 * `commit` hands them, in order, to `apply`, which must write all of them or none. The signal is
 * checked before `apply` runs; a committed batch starts empty again.
 */
export function recordingBatch(
  apply: (operations: KeyValueOperation[], options?: AbortOptions) => void | Promise<void>,
): KeyValueBatch {
  const operations: KeyValueOperation[] = []
  const batch: KeyValueBatch = {
    put: (key, value) => {
      operations.push({ type: 'put', key: key.slice(), value: value.slice() })
      return batch
    },
    delete: (key) => {
      operations.push({ type: 'delete', key: key.slice() })
      return batch
    },
    commit: async (options) => {
      throwIfAborted(options)
      await apply(operations.splice(0), options)
    },
  }
  return batch
}

/** One step of a key scan: keys in [`from`, `to`), strictly past `after` in scan order. */
export interface KeyRange {
  /** the lowest key, inclusive (the prefix); undefined when the prefix is empty */
  from?: Uint8Array
  /** the first key past the range, exclusive (`prefixEnd(prefix)`); undefined: no upper bound */
  to?: Uint8Array
  /** the last key the previous step yielded */
  after?: Uint8Array
  /** descending order: `after` bounds from above */
  reverse: boolean
}

/**
 * `entries` by keyset pagination: `read` returns up to `chunk` entries of a range in order, and
 * each step starts after the last key yielded, so a scan costs what it yields, holds no cursor
 * open across an `await`, and sees writes that land ahead of it.
 */
export async function* keysetEntries(
  options: KeyValueEntriesOptions,
  chunk: number,
  read: (range: KeyRange, limit: number) => Promise<[Uint8Array, Uint8Array][]> | [Uint8Array, Uint8Array][],
): AsyncGenerator<[Uint8Array, Uint8Array]> {
  throwIfAborted(options)
  let remaining = options.limit ?? Number.POSITIVE_INFINITY
  if (!(remaining > 0)) return
  const range: KeyRange = { reverse: options.reverse === true }
  const prefix = options.prefix ?? new Uint8Array(0)
  if (prefix.length > 0) range.from = prefix
  const end = prefixEnd(prefix)
  if (end !== undefined) range.to = end
  while (remaining > 0) {
    throwIfAborted(options)
    const entries = await read({ ...range }, chunk)
    // Copied before yielding: the caller owns (and may change) the keys it is handed.
    const last = entries.at(-1)
    if (last !== undefined) range.after = last[0].slice()
    for (const entry of entries) {
      if (remaining <= 0) return
      remaining -= 1
      yield entry
    }
    if (entries.length < chunk) return
  }
}
