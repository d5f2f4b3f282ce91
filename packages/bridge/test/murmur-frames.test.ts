/** The frames of Whisper over libp2p: round trips, any chunking of the byte stream, and bad bytes. */
import type { Envelope } from '@parley/envelope'
import { DecodeError, LimitExceededError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeFrame, encodeLength, type Frame, FrameCode, readFrames } from '../src/index.ts'

const envelope: fc.Arbitrary<Envelope> = fc.record({
  expiry: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
  ttl: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
  topic: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  data: fc.uint8Array({ maxLength: 64 }),
  nonce: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
})

const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ code: fc.constant(FrameCode.messages), envelopes: fc.array(envelope, { maxLength: 3 }) }),
  fc.record({ code: fc.constant(FrameCode.p2pMessage), envelopes: fc.array(envelope, { maxLength: 3 }) }),
  fc.record({ code: fc.constant(FrameCode.p2pRequest), request: envelope }),
  fc.record({
    code: fc.constant(FrameCode.requestComplete),
    payload: fc.uint8Array({ minLength: 1, maxLength: 100 }),
  }),
)

/** `bytes` as the chunks a stream might deliver, cut at `cuts`. */
async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0
  for (const cut of [...new Set(cuts.map((at) => at % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut)
    from = cut
  }
  yield bytes.subarray(from)
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const item of source) out.push(item)
  return out
}

describe('Whisper over libp2p frames', () => {
  it('decode what they encode', () => {
    fc.assert(
      fc.property(frame, (original) => {
        expect(decodeFrame(encodeFrame(original))).toEqual(original)
      }),
    )
  })

  it('come out of the stream whole, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (frames, cuts) => {
          const bytes = Uint8Array.from(frames.flatMap((item) => [...encodeLength(item.length), ...item]))
          expect(await collect(readFrames(chunked(bytes, cuts), 1000))).toEqual(frames)
        },
      ),
    )
  })

  it('refuse any other bytes with a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeFrame(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
    )
    expect(() => decodeFrame(new Uint8Array(0))).toThrow(DecodeError)
    expect(() => decodeFrame(Uint8Array.of(FrameCode.messages, 0x81))).toThrow(DecodeError)
  })

  it('end the stream at a frame over the limit', async () => {
    const bytes = Uint8Array.from([...encodeLength(3), 1, 2, 3, ...encodeLength(1001), 0])
    const frames: Uint8Array[] = []
    await expect(async () => {
      for await (const item of readFrames(chunked(bytes, []), 1000)) frames.push(item)
    }).rejects.toThrow(LimitExceededError)
    expect(frames).toEqual([Uint8Array.of(1, 2, 3)])
    // a length prefix that never ends (5 continuation bytes) is over any limit
    await expect(collect(readFrames(chunked(new Uint8Array(5).fill(0xff), []), 1000))).rejects.toThrow(
      LimitExceededError,
    )
  })
})
