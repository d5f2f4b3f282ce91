import { AbortError } from '@parley/interfaces'
import {
  compareBytes,
  type KeyRange,
  type KeyValueOperation,
  keysetEntries,
  prefixEnd,
  recordingBatch,
} from '@parley/store-utils'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const startsWith = (key: Uint8Array, prefix: Uint8Array): boolean =>
  compareBytes(key.subarray(0, prefix.length), prefix) === 0

describe('compareBytes', () => {
  it('is unsigned lexicographic, shorter first on a common prefix', () => {
    expect(compareBytes(Uint8Array.of(0x7f), Uint8Array.of(0x80))).toBeLessThan(0)
    expect(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBeLessThan(0)
    expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 0xff))).toBeGreaterThan(0)
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(0)
  })
})

describe('prefixEnd', () => {
  it('has no end for an empty or all-0xff prefix', () => {
    expect(prefixEnd(new Uint8Array(0))).toBeUndefined()
    expect(prefixEnd(Uint8Array.of(0xff, 0xff))).toBeUndefined()
    expect(prefixEnd(Uint8Array.of(1, 0xff))).toEqual(Uint8Array.of(2))
    expect(prefixEnd(Uint8Array.of(0x00, 0x7f))).toEqual(Uint8Array.of(0x00, 0x80))
  })

  it('leaves its input alone', () => {
    const input = Uint8Array.of(0x05)
    prefixEnd(input)
    expect(input).toEqual(Uint8Array.of(0x05))
  })

  it('is above every key with the prefix, and no key in between lacks it', () => {
    const bytes = fc.uint8Array({ maxLength: 4 })
    fc.assert(
      fc.property(bytes, bytes, (prefix, key) => {
        const end = prefixEnd(prefix)
        const inRange = compareBytes(key, prefix) >= 0 && (end === undefined || compareBytes(key, end) < 0)
        expect(inRange).toBe(startsWith(key, prefix))
      }),
    )
  })
})

describe('recordingBatch', () => {
  it('hands copies of the writes, in order, to apply on commit, then starts empty', async () => {
    const applied: KeyValueOperation[][] = []
    const batch = recordingBatch((operations) => {
      applied.push(operations)
    })
    const key = Uint8Array.of(1)
    batch.put(key, Uint8Array.of(9)).delete(Uint8Array.of(2))
    key[0] = 7 // the caller reuses its buffer
    await batch.commit()
    await batch.commit()
    expect(applied).toEqual([
      [
        { type: 'put', key: Uint8Array.of(1), value: Uint8Array.of(9) },
        { type: 'delete', key: Uint8Array.of(2) },
      ],
      [],
    ])
  })

  it('applies nothing once the signal has aborted', async () => {
    let calls = 0
    const batch = recordingBatch(() => {
      calls += 1
    }).put(Uint8Array.of(1), Uint8Array.of(1))
    await expect(batch.commit({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
    expect(calls).toBe(0)
  })
})

/** `read` over a sorted array, as a database answers a keyset query. */
function reader(keys: readonly Uint8Array[], ranges: KeyRange[] = []) {
  return (range: KeyRange, limit: number): [Uint8Array, Uint8Array][] => {
    ranges.push(range)
    const inRange = keys.filter(
      (key) =>
        (range.from === undefined || compareBytes(key, range.from) >= 0) &&
        (range.to === undefined || compareBytes(key, range.to) < 0) &&
        (range.after === undefined || compareBytes(key, range.after) * (range.reverse ? -1 : 1) > 0),
    )
    const ordered = range.reverse ? inRange.reverse() : inRange
    return ordered.slice(0, limit).map((key) => [key, key.slice()])
  }
}

describe('keysetEntries', () => {
  it('yields the keys with the prefix, in order or reversed, up to the limit, whatever the chunk', async () => {
    const keys = fc.uniqueArray(fc.uint8Array({ maxLength: 3 }), {
      maxLength: 30,
      comparator: (a, b) => compareBytes(a, b) === 0,
    })
    await fc.assert(
      fc.asyncProperty(
        keys,
        fc.uint8Array({ maxLength: 2 }),
        fc.boolean(),
        fc.option(fc.nat(10), { nil: undefined }),
        fc.integer({ min: 1, max: 5 }),
        async (stored, prefix, reverse, limit, chunk) => {
          const sorted = [...stored].sort(compareBytes)
          const expected = sorted.filter((key) => startsWith(key, prefix))
          if (reverse) expected.reverse()
          const yielded: Uint8Array[] = []
          for await (const [key] of keysetEntries({ prefix, reverse, limit }, chunk, reader(sorted))) {
            yielded.push(key)
          }
          expect(yielded).toEqual(expected.slice(0, limit ?? expected.length))
        },
      ),
    )
  })

  it('starts each chunk after the last key yielded, even if the caller changed that key', async () => {
    const keys = [1, 2, 3, 4, 5].map((n) => Uint8Array.of(n))
    const ranges: KeyRange[] = []
    const yielded: number[] = []
    for await (const [key] of keysetEntries({}, 2, reader(keys, ranges))) {
      yielded.push(key[0] as number)
      key[0] = 0
    }
    expect(yielded).toEqual([1, 2, 3, 4, 5])
    expect(ranges.map((range) => range.after?.[0])).toEqual([undefined, 2, 4])
  })

  it('reads nothing for a limit of 0 and stops when the signal aborts', async () => {
    const ranges: KeyRange[] = []
    for await (const _ of keysetEntries({ limit: 0 }, 2, reader([Uint8Array.of(1)], ranges))) {
      expect.unreachable()
    }
    expect(ranges).toEqual([])
    const controller = new AbortController()
    const read = async () => {
      for await (const _ of keysetEntries(
        { signal: controller.signal },
        1,
        reader([Uint8Array.of(1), Uint8Array.of(2)]),
      )) {
        controller.abort()
      }
    }
    await expect(read()).rejects.toBeInstanceOf(AbortError)
  })
})
