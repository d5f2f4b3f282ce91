import { keccak256 } from '@parley/crypto'
import { DecodeError, VerificationError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeSegment, encodeSegment, SegmentReassembler, segmentPayload } from '../src/index.ts'

describe('segmentation (data segments only, no Reed-Solomon parity)', () => {
  it('leaves a payload of at most 3/4 of the max size alone', () => {
    const payload = new Uint8Array(75)
    expect(segmentPayload(payload, 100)).toEqual([payload])
  })

  it('splits and reassembles in any arrival order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        fc.integer({ min: 8, max: 400 }),
        fc.integer(),
        (payload, maxSize, seed) => {
          const parts = segmentPayload(payload, maxSize)
          const chunk = Math.floor(maxSize / 4) * 3
          if (payload.length <= chunk) {
            expect(parts).toEqual([payload])
            return
          }
          expect(parts).toHaveLength(Math.ceil(payload.length / chunk))
          const segments = parts.map(decodeSegment)
          // a deterministic shuffle
          segments.sort((a, b) => ((a.index * 7919 + seed) % 13) - ((b.index * 7919 + seed) % 13))
          const reassembler = new SegmentReassembler()
          const results = segments.map((segment) => reassembler.add(segment))
          const done = results.filter((result) => result !== undefined)
          expect(done).toEqual([payload])
          expect(results.at(-1)).toEqual(payload)
          expect(reassembler.pending).toBe(0)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('rejects parts that do not hash to the announced hash', () => {
    const payload = Uint8Array.from({ length: 300 }, (_, index) => index)
    const segments = segmentPayload(payload, 100).map(decodeSegment)
    const first = segments[0]
    if (first === undefined) throw new Error('no segments')
    first.payload = Uint8Array.from(first.payload, (byte) => byte ^ 1)
    const reassembler = new SegmentReassembler()
    let error: unknown
    try {
      for (const segment of segments) reassembler.add(segment)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(VerificationError)
  })

  it('ignores parity segments and refuses malformed ones', () => {
    const hash = keccak256(Uint8Array.of(1))
    const parity = decodeSegment(
      encodeSegment({
        entireMessageHash: hash,
        index: 0,
        segmentsCount: 0,
        payload: Uint8Array.of(1),
        paritySegmentIndex: 0,
        paritySegmentsCount: 1,
      }),
    )
    expect(new SegmentReassembler().add(parity)).toBeUndefined()
    const single = { entireMessageHash: hash, index: 0, segmentsCount: 1, payload: Uint8Array.of(1) }
    expect(() =>
      decodeSegment(encodeSegment({ ...single, paritySegmentIndex: 0, paritySegmentsCount: 0 })),
    ).toThrow(DecodeError)
  })

  it('throws only DecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeSegment(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 300 },
    )
  })
})
