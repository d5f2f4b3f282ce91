import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type ChatMessage,
  ContentType,
  decodeChatMessage,
  encodeChatMessage,
  MessageDeduplicator,
  MessageType,
  nextClock,
} from '../src/index.ts'

const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })

const chatMessage: fc.Arbitrary<ChatMessage> = fc.record({
  clock: uint64,
  timestamp: uint64,
  text: fc.string(),
  responseTo: fc.string(),
  ensName: fc.string(),
  chatId: fc.string(),
  messageType: fc.integer({ min: 0, max: 6 }),
  contentType: fc.integer({ min: 0, max: 18 }),
})

describe('ChatMessage codec', () => {
  it('round-trips, including uint64 values above 2^53', () => {
    fc.assert(
      fc.property(chatMessage, (message) => {
        expect(decodeChatMessage(encodeChatMessage(message))).toEqual(message)
      }),
      { numRuns: 200 },
    )
  })

  it('encodes the largest uint64 clock exactly (protobufjs would write a bigint as 0)', () => {
    const message: ChatMessage = {
      clock: (1n << 64n) - 1n,
      timestamp: 1n,
      text: '',
      responseTo: '',
      ensName: '',
      chatId: 'status',
      messageType: MessageType.PUBLIC_GROUP,
      contentType: ContentType.TEXT_PLAIN,
    }
    const bytes = encodeChatMessage(message)
    expect(Array.from(bytes.subarray(0, 11))).toEqual([0x08, ...new Array(9).fill(0xff), 0x01])
    expect(decodeChatMessage(bytes).clock).toBe(message.clock)
  })

  it('round-trips sticker, image, community, grant and display name', () => {
    const base = {
      clock: 5n,
      timestamp: 6n,
      text: 't',
      responseTo: '0xabc',
      ensName: 'alice.stateofus.eth',
      chatId: 'c',
      messageType: MessageType.ONE_TO_ONE,
    }
    const sticker: ChatMessage = {
      ...base,
      contentType: ContentType.STICKER,
      sticker: { hash: 'h', pack: 3 },
    }
    expect(decodeChatMessage(encodeChatMessage(sticker))).toEqual(sticker)
    const image: ChatMessage = {
      ...base,
      contentType: ContentType.IMAGE,
      image: { payload: Uint8Array.of(1, 2), type: 2, albumId: 'a', width: 10, height: 20 },
      grant: Uint8Array.of(7),
      displayName: 'Alice',
    }
    expect(decodeChatMessage(encodeChatMessage(image))).toEqual(image)
    const community: ChatMessage = {
      ...base,
      contentType: ContentType.COMMUNITY,
      community: Uint8Array.of(4),
    }
    expect(decodeChatMessage(encodeChatMessage(community))).toEqual(community)
  })

  it('refuses more than one payload and out-of-range clocks', () => {
    const base: ChatMessage = {
      clock: 1n,
      timestamp: 1n,
      text: '',
      responseTo: '',
      ensName: '',
      chatId: '',
      messageType: 0,
      contentType: 0,
    }
    expect(() =>
      encodeChatMessage({ ...base, sticker: { hash: 'h', pack: 1 }, community: Uint8Array.of(1) }),
    ).toThrow(InvalidParametersError)
    expect(() => encodeChatMessage({ ...base, clock: -1n })).toThrow(InvalidParametersError)
    expect(() => encodeChatMessage({ ...base, timestamp: 1n << 64n })).toThrow(InvalidParametersError)
  })

  it('throws only DecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeChatMessage(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('nextClock (status-go Chat.NextClockAndTimestamp)', () => {
  it('follows wall time while it is ahead of the last clock', () => {
    expect(nextClock(0n, 1_700_000_000_000)).toBe(1_700_000_000_000n)
    expect(nextClock(1_699_999_999_999n, 1_700_000_000_000)).toBe(1_700_000_000_000n)
  })

  it('never goes backwards when the chat clock is ahead (a peer with a fast clock)', () => {
    expect(nextClock(1_700_000_000_000n, 1_700_000_000_000)).toBe(1_700_000_000_001n)
    expect(nextClock(2_000_000_000_000n, 1_700_000_000_000n)).toBe(2_000_000_000_001n)
  })

  it('is max(last + 1, now) for any positive last', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 1n << 60n }),
        fc.bigInt({ min: 0n, max: 1n << 60n }),
        (last, now) => {
          const next = nextClock(last, now)
          expect(next).toBe(last + 1n > now ? last + 1n : now)
        },
      ),
    )
  })
})

describe('MessageDeduplicator', () => {
  it('reports an id once, then forgets the oldest beyond capacity', () => {
    const dedup = new MessageDeduplicator({ capacity: 2 })
    const a = Uint8Array.of(1)
    const b = Uint8Array.of(2)
    const c = Uint8Array.of(3)
    expect(dedup.isNew(a)).toBe(true)
    expect(dedup.isNew(Uint8Array.of(1))).toBe(false)
    expect(dedup.isNew(b)).toBe(true)
    expect(dedup.isNew(c)).toBe(true)
    expect(dedup.size).toBe(2)
    expect(dedup.isNew(b)).toBe(false)
    expect(dedup.isNew(a)).toBe(true)
  })

  it('refuses a non-positive capacity', () => {
    expect(() => new MessageDeduplicator({ capacity: 0 })).toThrow(InvalidParametersError)
  })
})
