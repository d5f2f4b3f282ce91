/** Property tests for every store decoder: roundtrip, arbitrary and mutated bytes fail only with DecodeError. */
import { DecodeError } from '@parley/interfaces'
import { MAX_META_LENGTH, type WakuMessage } from '@parley/protocol-waku2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeHistoryRpc,
  decodeStoreQueryRequest,
  decodeStoreQueryResponse,
  encodeHistoryRpc,
  encodeStoreQueryRequest,
  encodeStoreQueryResponse,
  type HistoryIndex,
  type HistoryRpc,
  type PagingInfo,
  type StoreQueryRequest,
  type StoreQueryResponse,
} from '../src/index.ts'

const text = fc.string({ unit: 'grapheme', maxLength: 30 })
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })
const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })
const uint32 = fc.integer({ min: 0, max: 0xffff_ffff })
const bytes = fc.uint8Array({ maxLength: 40 })

const wakuMessage: fc.Arbitrary<WakuMessage> = fc.record(
  {
    payload: fc.uint8Array({ maxLength: 100 }),
    contentTopic: text,
    version: uint32,
    timestamp: int64,
    meta: fc.uint8Array({ maxLength: MAX_META_LENGTH }),
    rateLimitProof: bytes,
    ephemeral: fc.boolean(),
  },
  { requiredKeys: ['payload', 'contentTopic'] },
)

const storeRequest: fc.Arbitrary<StoreQueryRequest> = fc.record(
  {
    requestId: text,
    includeData: fc.boolean(),
    pubsubTopic: text,
    contentTopics: fc.array(text, { maxLength: 4 }),
    timeStart: int64,
    timeEnd: int64,
    messageHashes: fc.array(bytes, { maxLength: 4 }),
    paginationCursor: bytes,
    paginationForward: fc.boolean(),
    paginationLimit: uint64,
  },
  { requiredKeys: ['requestId', 'includeData', 'contentTopics', 'messageHashes', 'paginationForward'] },
)

const storeResponse: fc.Arbitrary<StoreQueryResponse> = fc.record(
  {
    requestId: text,
    statusCode: uint32,
    statusDesc: text,
    messages: fc.array(
      fc.record(
        { messageHash: bytes, message: wakuMessage, pubsubTopic: text },
        { requiredKeys: ['messageHash'] },
      ),
      { maxLength: 4 },
    ),
    paginationCursor: bytes,
  },
  { requiredKeys: ['requestId', 'messages'] },
)

const index: fc.Arbitrary<HistoryIndex> = fc.record({
  digest: bytes,
  receiverTime: int64,
  senderTime: int64,
  pubsubTopic: text,
})
const pagingInfo: fc.Arbitrary<PagingInfo> = fc.record(
  { pageSize: uint64, cursor: index, direction: uint32 },
  { requiredKeys: [] },
)
const historyRpc: fc.Arbitrary<HistoryRpc> = fc.record(
  {
    requestId: text,
    query: fc.record(
      {
        pubsubTopic: text,
        contentTopics: fc.array(text, { maxLength: 4 }),
        pagingInfo,
        startTime: int64,
        endTime: int64,
      },
      { requiredKeys: ['contentTopics'] },
    ),
    response: fc.record(
      { messages: fc.array(wakuMessage, { maxLength: 3 }), pagingInfo, error: uint32 },
      { requiredKeys: ['messages', 'error'] },
    ),
  },
  { requiredKeys: ['requestId'] },
)

const decoders = {
  StoreQueryRequest: decodeStoreQueryRequest,
  StoreQueryResponse: decodeStoreQueryResponse,
  HistoryRPC: decodeHistoryRpc,
} as const

/** Decodes or throws DecodeError; anything else fails the property. */
function decodesOrRefuses(decode: (input: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    decode(input)
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError)
  }
}

/** Valid encodings with a few bytes overwritten: close to real traffic, so deeper decoder paths run. */
function mutated<T>(arbitrary: fc.Arbitrary<T>, encode: (value: T) => Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      arbitrary,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
    )
    .map(([value, edits]) => {
      const out = encode(value)
      for (const [position, byte] of edits) if (out.length > 0) out[position % out.length] = byte
      return out
    })
}

describe('store codecs', () => {
  it('round-trip StoreQueryRequest', () => {
    fc.assert(
      fc.property(storeRequest, (request) => {
        expect(decodeStoreQueryRequest(encodeStoreQueryRequest(request))).toEqual(request)
      }),
    )
  })

  it('round-trip StoreQueryResponse', () => {
    fc.assert(
      fc.property(storeResponse, (response) => {
        expect(decodeStoreQueryResponse(encodeStoreQueryResponse(response))).toEqual(response)
      }),
    )
  })

  it('round-trip HistoryRPC', () => {
    fc.assert(
      fc.property(historyRpc, (rpc) => {
        expect(decodeHistoryRpc(encodeHistoryRpc(rpc))).toEqual(rpc)
      }),
    )
  })

  for (const [name, decode] of Object.entries(decoders)) {
    it(`${name}: arbitrary bytes decode or fail with DecodeError only`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (input) => decodesOrRefuses(decode, input)))
    })
  }

  it('mutated encodings decode or fail with DecodeError only', () => {
    fc.assert(
      fc.property(mutated(storeRequest, encodeStoreQueryRequest), (input) =>
        decodesOrRefuses(decodeStoreQueryRequest, input),
      ),
    )
    fc.assert(
      fc.property(mutated(storeResponse, encodeStoreQueryResponse), (input) =>
        decodesOrRefuses(decodeStoreQueryResponse, input),
      ),
    )
    fc.assert(
      fc.property(mutated(historyRpc, encodeHistoryRpc), (input) =>
        decodesOrRefuses(decodeHistoryRpc, input),
      ),
    )
  })
})

describe('store wire layout', () => {
  it('puts StoreQueryRequest fields at the 13/STORE numbers', () => {
    const encoded = encodeStoreQueryRequest({
      requestId: 'a',
      includeData: true,
      pubsubTopic: 'p',
      contentTopics: ['c'],
      timeStart: -1n,
      timeEnd: 1n,
      messageHashes: [Uint8Array.of(9)],
      paginationCursor: Uint8Array.of(7),
      paginationForward: true,
      paginationLimit: 20n,
    })
    // tag = field << 3 | wire type; sint64 -1 zigzags to 1, 1 to 2.
    expect([...encoded]).toEqual([
      0x0a, 1, 0x61, 0x10, 1, 0x52, 1, 0x70, 0x5a, 1, 0x63, 0x60, 1, 0x68, 2, 0xa2, 0x01, 1, 9, 0x9a, 0x03, 1,
      7, 0xa0, 0x03, 1, 0xa8, 0x03, 20,
    ])
  })

  it('rejects a known field with the wrong wire type', () => {
    // field 12 (time_start) as length-delimited
    expect(() => decodeStoreQueryRequest(Uint8Array.of(0x62, 0))).toThrow(DecodeError)
    // HistoryResponse.error above uint32
    expect(() => decodeHistoryRpc(Uint8Array.of(0x1a, 7, 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).toThrow(
      DecodeError,
    )
  })
})
