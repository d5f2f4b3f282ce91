/** Untrusted bytes only ever yield DecodeError; every layout round trips. */
import { DecodeError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeCursor,
  decodeDbKey,
  decodeMessagesRequest,
  decodeP2PMessage,
  decodeP2PRequest,
  decodeRequestComplete,
  decodeRequestPayload,
  encodeMessagesRequest,
  encodeRequestCompleted,
  encodeRequestPayload,
  type MailRequest,
  type RequestLayout,
} from '../src/index.ts'

const decoders: Array<[string, (bytes: Uint8Array) => unknown]> = [
  ['decodeRequestPayload', (b) => decodeRequestPayload(b, { now: 1_700_000_000 })],
  ['decodeRequestComplete', decodeRequestComplete],
  ['decodeMessagesRequest', decodeMessagesRequest],
  ['decodeP2PRequest', decodeP2PRequest],
  ['decodeP2PMessage (shh)', (b) => decodeP2PMessage(b, { capability: 'shh' })],
  ['decodeP2PMessage (waku)', decodeP2PMessage],
  ['decodeDbKey', decodeDbKey],
  ['decodeCursor', decodeCursor],
]

function onlyDecodeErrors(decodeFn: (bytes: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decodeFn(bytes)
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError)
  }
}

const uint32 = fc.integer({ min: 0, max: 0xffff_ffff })
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max })
const topic = bytes(4, 4)

/** Requests that pass status-go's checks, so decode returns exactly what was encoded. */
function validRequest(layout: RequestLayout): fc.Arbitrary<MailRequest> {
  const binary = layout === 'binary'
  return fc
    .record({
      lower: uint32,
      span: fc.integer({ min: 1, max: binary ? 24 * 3600 : 0xffff_ffff }),
      bloom: binary ? bytes(64, 64) : bytes(1, 64),
      topics:
        layout === '2020' || layout === 'waku-mail'
          ? fc.array(topic, { maxLength: 4 })
          : fc.constant<Uint8Array[]>([]),
      limit: fc.integer({ min: 1, max: 1000 }),
      cursor: binary ? fc.oneof(bytes(0, 0), bytes(36, 36), bytes(40, 40)) : bytes(0, 40),
      batch: layout === '2020' || layout === '2019' ? fc.boolean() : fc.constant(false),
    })
    .map(({ span, ...r }) => ({ ...r, upper: Math.min(r.lower + span, 0xffff_ffff) }))
}

describe('decoders on untrusted bytes', () => {
  for (const [name, decodeFn] of decoders) {
    it(`${name} throws only DecodeError on random and mutated bytes`, () => {
      const sample = encodeRequestPayload({
        lower: 1,
        upper: 2,
        bloom: new Uint8Array(64).fill(1),
        topics: [Uint8Array.of(1, 2, 3, 4)],
        limit: 3,
        cursor: new Uint8Array(36),
        batch: true,
      })
      fc.assert(
        fc.property(
          fc.oneof(
            bytes(0, 200),
            fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }).map(({ at, value }) => {
              const mutated = sample.slice()
              mutated[at % mutated.length] = value
              return mutated
            }),
            fc.nat({ max: sample.length }).map((n) => sample.subarray(0, n)),
          ),
          (input) => onlyDecodeErrors(decodeFn, input),
        ),
        { numRuns: 300 },
      )
    })
  }
})

describe('round trips', () => {
  for (const layout of ['2020', '2019', 'spec', 'waku-mail', 'binary'] as const) {
    it(`request payload, ${layout} layout`, () => {
      fc.assert(
        fc.property(validRequest(layout), (request) => {
          const decoded = decodeRequestPayload(encodeRequestPayload(request, { layout }), { now: 0 })
          // A binary request's upper of 0 would become now + 60; the arbitrary never makes one.
          expect(decoded).toEqual({ ...request, layout })
        }),
        { numRuns: 100 },
      )
    })
  }

  it('request complete', () => {
    fc.assert(
      fc.property(
        bytes(32, 32),
        bytes(32, 32),
        fc.oneof(bytes(0, 0), bytes(36, 36)),
        (requestId, last, cursor) => {
          const decoded = decodeRequestComplete(
            encodeRequestCompleted({ requestId, lastEnvelopeHash: last, cursor }),
          )
          expect(decoded).toEqual({
            kind: 'completed',
            requestId,
            lastEnvelopeHash: last,
            cursor,
            form: 'status-go',
          })
        },
      ),
    )
  })

  it('MessagesRequest', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: bytes(32, 32),
          from: uint32,
          to: uint32,
          limit: fc.integer({ min: 0, max: 1000 }),
          cursor: bytes(0, 36),
          bloom: bytes(1, 64),
          topics: fc.array(topic, { maxLength: 3 }),
        }),
        (r) => {
          const request = { ...r, from: Math.min(r.from, r.to), to: Math.max(r.from, r.to) }
          expect(decodeMessagesRequest(encodeMessagesRequest(request))).toEqual(request)
        },
      ),
    )
  })
})
