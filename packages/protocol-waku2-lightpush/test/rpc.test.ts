import { DecodeError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { onlyDecodeErrors } from '../../protocol-waku2/test/only-decode-errors.ts'
import {
  decodeLightpushRequest,
  decodeLightpushResponse,
  decodePushRpc,
  encodeLightpushRequest,
  encodeLightpushResponse,
  encodePushRpc,
} from '../src/index.ts'

const text = fc.string().filter((s) => s.isWellFormed())
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })
/** Drops undefined members, as a decoder never sets them. */
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T

describe('lightpush RPC codecs', () => {
  it('round-trip v3 LightpushRequest and LightpushResponse', () => {
    fc.assert(
      fc.property(
        fc.record({
          requestId: text,
          pubsubTopic: optional(text),
          message: optional(fc.uint8Array({ maxLength: 100 })),
        }),
        (request) => {
          expect(decodeLightpushRequest(encodeLightpushRequest(request))).toEqual(defined(request))
        },
      ),
    )
    fc.assert(
      fc.property(
        fc.record({
          requestId: text,
          statusCode: fc.integer({ min: 0, max: 0xffff_ffff }),
          statusDesc: optional(text),
          relayPeerCount: optional(fc.integer({ min: 0, max: 0xffff_ffff })),
        }),
        (response) => {
          expect(decodeLightpushResponse(encodeLightpushResponse(response))).toEqual(defined(response))
        },
      ),
    )
  })

  it('round-trip the 2.0.0-beta1 PushRpc both ways', () => {
    fc.assert(
      fc.property(
        fc.record({
          requestId: text,
          request: optional(
            fc
              .record({ pubsubTopic: text, message: optional(fc.uint8Array({ maxLength: 100 })) })
              .map(defined),
          ),
          response: optional(fc.record({ isSuccess: fc.boolean(), info: optional(text) }).map(defined)),
        }),
        (rpc) => {
          expect(decodePushRpc(encodePushRpc(rpc))).toEqual(defined(rpc))
        },
      ),
    )
  })

  it('decode js-waku 0.0.27 PushRpc bytes (request id, topic, message)', () => {
    // PushRpc{ request_id: "a", request: { pubsub_topic: "t", message: 0x0a01ff } }
    const bytes = Uint8Array.of(0x0a, 0x01, 0x61, 0x12, 0x08, 0x0a, 0x01, 0x74, 0x12, 0x03, 0x0a, 0x01, 0xff)
    expect(decodePushRpc(bytes)).toEqual({
      requestId: 'a',
      request: { pubsubTopic: 't', message: Uint8Array.of(0x0a, 0x01, 0xff) },
    })
  })

  it('reject known fields with the wrong wire type and invalid UTF-8', () => {
    expect(() => decodeLightpushRequest(Uint8Array.of(0x08, 0x01))).toThrow(DecodeError)
    expect(() => decodeLightpushRequest(Uint8Array.of(0xa2, 0x01, 0x01, 0xc3))).toThrow(/UTF-8/)
    expect(() => decodeLightpushResponse(Uint8Array.of(0x52, 0x00))).toThrow(DecodeError)
    expect(() => decodePushRpc(Uint8Array.of(0x1a, 0x02, 0x0a, 0x00))).toThrow(DecodeError)
  })

  it('throw only DecodeError on arbitrary bytes', () => {
    onlyDecodeErrors(decodeLightpushRequest)
    onlyDecodeErrors(decodeLightpushResponse)
    onlyDecodeErrors(decodePushRpc)
  })
})
