import { DecodeError } from '@parley/interfaces'
import { encodeWakuMessage } from '@parley/protocol-waku2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { onlyDecodeErrors } from '../../protocol-waku2/test/only-decode-errors.ts'
import {
  decodeFilterSubscribeRequest,
  decodeFilterSubscribeResponse,
  decodeMessagePush,
  encodeFilterSubscribeRequest,
  encodeFilterSubscribeResponse,
  encodeMessagePush,
  type FilterSubscribeRequest,
} from '../src/index.ts'

const request = fc.record({
  requestId: fc.string(),
  filterSubscribeType: fc.integer({ min: 0, max: 0xffff_ffff }),
  pubsubTopic: fc.option(fc.string(), { nil: undefined }),
  contentTopics: fc.array(fc.string(), { maxLength: 5 }),
})
const wakuMessage = fc.record(
  {
    payload: fc.uint8Array({ maxLength: 64 }),
    contentTopic: fc.string(),
    version: fc.integer({ min: 0, max: 0xffff_ffff }),
    timestamp: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    meta: fc.uint8Array({ maxLength: 64 }),
    ephemeral: fc.boolean(),
  },
  { requiredKeys: ['payload', 'contentTopic'] },
)
const wellFormed = (value: FilterSubscribeRequest) =>
  [value.requestId, value.pubsubTopic ?? '', ...value.contentTopics].every((s) => s.isWellFormed())

describe('filter RPC codecs', () => {
  it('round-trip FilterSubscribeRequest', () => {
    fc.assert(
      fc.property(request.filter(wellFormed), (value) => {
        expect(decodeFilterSubscribeRequest(encodeFilterSubscribeRequest(value))).toEqual(value)
      }),
    )
  })

  it('round-trip FilterSubscribeResponse', () => {
    fc.assert(
      fc.property(
        fc.record({
          requestId: fc.string(),
          statusCode: fc.integer({ min: 0, max: 999 }),
          statusDesc: fc.option(fc.string(), { nil: undefined }),
        }),
        (value) => {
          fc.pre(value.requestId.isWellFormed() && (value.statusDesc ?? '').isWellFormed())
          const decoded = decodeFilterSubscribeResponse(encodeFilterSubscribeResponse(value))
          expect(decoded).toEqual(
            value.statusDesc === undefined
              ? { requestId: value.requestId, statusCode: value.statusCode }
              : value,
          )
        },
      ),
    )
  })

  it('round-trip MessagePush carrying the exact WakuMessage bytes', () => {
    fc.assert(
      fc.property(wakuMessage, fc.string(), (message, pubsubTopic) => {
        fc.pre(message.contentTopic.isWellFormed() && pubsubTopic.isWellFormed())
        const push = decodeMessagePush(encodeMessagePush(pubsubTopic, encodeWakuMessage(message)))
        expect(push.pubsubTopic).toBe(pubsubTopic)
        expect(encodeWakuMessage(push.wakuMessage)).toEqual(encodeWakuMessage(message))
      }),
    )
  })

  it('decode nwaku-style bytes: an absent type is a ping, absent topics stay absent', () => {
    // field 1 "r1" only
    expect(decodeFilterSubscribeRequest(Uint8Array.of(0x0a, 0x02, 0x72, 0x31))).toEqual({
      requestId: 'r1',
      filterSubscribeType: 0,
      contentTopics: [],
    })
  })

  it('reject a known field with the wrong wire type, invalid UTF-8 and a push without message', () => {
    expect(() => decodeFilterSubscribeRequest(Uint8Array.of(0x08, 0x01))).toThrow(DecodeError)
    expect(() => decodeFilterSubscribeRequest(Uint8Array.of(0x0a, 0x01, 0xff))).toThrow(DecodeError)
    expect(() => decodeFilterSubscribeResponse(Uint8Array.of(0x50, 0xff, 0xff, 0xff, 0xff, 0x1f))).toThrow(
      DecodeError,
    )
    expect(() => decodeMessagePush(Uint8Array.of(0x12, 0x01, 0x61))).toThrow(/no waku_message/)
  })

  it('throw only DecodeError on arbitrary bytes', () => {
    onlyDecodeErrors(decodeFilterSubscribeRequest)
    onlyDecodeErrors(decodeFilterSubscribeResponse)
    onlyDecodeErrors((bytes) => decodeMessagePush(bytes))
  })
})
