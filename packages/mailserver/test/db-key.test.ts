/** DB keys sort by time; cursors are key prefixes. */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { cursorFromDbKey, dbKeyLowerBound, decodeCursor, encodeCursor, encodeDbKey } from '../src/index.ts'

const hash = new Uint8Array(32).fill(0xee)
const topic = Uint8Array.of(1, 2, 3, 4)

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

describe('DB keys and cursors', () => {
  it('a key sorts between the lower bounds of its second and the next', () => {
    const key = encodeDbKey({ timestamp: 1000, hash, topic })
    expect(compare(dbKeyLowerBound(1000), key)).toBeLessThan(0)
    expect(compare(key, dbKeyLowerBound(1001))).toBeLessThan(0)
  })

  it('the cursor is the key prefix and reads back from either length', () => {
    const key = encodeDbKey({ timestamp: 0xabcdef12, hash, topic })
    const cursor = cursorFromDbKey(key)
    expect(cursor).toEqual(encodeCursor({ timestamp: 0xabcdef12, hash }))
    expect(decodeCursor(cursor)).toEqual({ timestamp: 0xabcdef12, hash })
    expect(decodeCursor(key)).toEqual({ timestamp: 0xabcdef12, hash })
    expect(() => decodeCursor(new Uint8Array(35))).toThrow(DecodeError)
  })

  it('refuses timestamps that are not uint32 and wrong lengths', () => {
    expect(() => encodeDbKey({ timestamp: 2 ** 32, hash, topic })).toThrow(InvalidParametersError)
    expect(() => encodeDbKey({ timestamp: -1, hash, topic })).toThrow(InvalidParametersError)
    expect(() => encodeDbKey({ timestamp: 1, hash: hash.subarray(1), topic })).toThrow(InvalidParametersError)
    expect(() => encodeCursor({ timestamp: 1.5, hash })).toThrow(InvalidParametersError)
  })
})
