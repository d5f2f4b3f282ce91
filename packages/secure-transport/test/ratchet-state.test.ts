import { DecodeError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SkippedKey } from '../src/ratchet/skipped-keys.ts'
import { parseState, type RatchetState, serializeState, serializeStateJson } from '../src/ratchet/state.ts'

const key = (length: number) => fc.uint8Array({ minLength: length, maxLength: length })
const count = fc.nat({ max: Number.MAX_SAFE_INTEGER })
const chain = fc.record({ chainKey: key(32), n: count })
const state: fc.Arbitrary<RatchetState> = fc.record({
  rootKey: key(32),
  dhs: fc.record({ privateKey: key(32), publicKey: key(33) }),
  dhr: fc.option(key(33), { nil: undefined }),
  send: chain,
  recv: chain,
  pn: count,
  keysCount: count,
  limits: fc.record({ maxSkip: count, maxKeep: count, maxMessageKeys: count }),
})
const skippedKeys: fc.Arbitrary<SkippedKey[]> = fc
  .array(fc.record({ dh: fc.oneof(key(0), key(33)), n: count, messageKey: key(32) }), { maxLength: 5 })
  .map((keys) => keys.map((k, seq) => ({ ...k, seq })))

describe('ratchet state formats', () => {
  it('the binary form round-trips any state, and reads as the JSON form of it does', () => {
    fc.assert(
      fc.property(state, skippedKeys, (s, skipped) => {
        const binary = parseState(serializeState(s, skipped))
        expect(binary).toEqual({ state: s, skipped })
        expect(parseState(serializeStateJson(s, skipped))).toEqual(binary)
      }),
      { numRuns: 200 },
    )
  })

  it('a truncated, extended or retagged binary state is a DecodeError', () => {
    fc.assert(
      fc.property(
        state,
        skippedKeys,
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (s, skipped, cut, extra) => {
          const good = serializeState(s, skipped)
          const at = cut % good.length
          expect(() => parseState(good.subarray(0, at))).toThrow(DecodeError)
          expect(() => parseState(new Uint8Array([...good, ...extra]))).toThrow(DecodeError)
          expect(() => parseState(new Uint8Array([3, ...good.subarray(1)]))).toThrow(DecodeError)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('any bytes after the binary tag either parse or are a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        try {
          parseState(new Uint8Array([2, ...tail]))
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 500 },
    )
  })
})
