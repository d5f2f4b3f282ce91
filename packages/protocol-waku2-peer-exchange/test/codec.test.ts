import { DecodeError } from '@parley/interfaces'
import { encodeVarint } from '@parley/protocol-waku2'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodePeerExchangeRequest,
  decodePeerExchangeResponse,
  decodePeerExchangeRpc,
  decodeWakuMetadata,
  encodePeerExchangeRpc,
  encodeWakuMetadata,
  PeerExchangeStatus,
} from '../src/index.ts'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('PeerExchangeRPC codec', () => {
  it('encodes as nwaku: request in 1, response in 2, status in 10', () => {
    expect(hex(encodePeerExchangeRpc({ request: { numPeers: 5n } }))).toBe('0a020805')
    const response = encodePeerExchangeRpc({
      response: { enrs: [Uint8Array.of(0xc1, 0x80)] },
      responseStatus: { status: 200 },
    })
    // 12 06 (response) 0a 04 (peer info) 0a 02 c1 80 (enr) ; 52 03 (status) 08 c8 01
    expect(hex(response)).toBe('12060a040a02c180520308c801')
    expect(hex(encodePeerExchangeRpc({ responseStatus: { status: 429, desc: 'slow' } }))).toBe(
      '520908ad031204736c6f77',
    )
  })

  const rpc = fc.record(
    {
      request: fc.record({ numPeers: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
      response: fc.record({ enrs: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }) }),
      responseStatus: fc.record(
        { status: fc.integer({ min: 0, max: 2 ** 32 - 1 }), desc: fc.string() },
        { requiredKeys: ['status'] },
      ),
    },
    { requiredKeys: [] },
  )

  it('round-trips every RPC', () => {
    fc.assert(
      fc.property(rpc, (value) => {
        const decoded = decodePeerExchangeRpc(encodePeerExchangeRpc(value))
        // An empty response message still decodes as present, with no records.
        expect(decoded).toEqual(value)
      }),
    )
  })

  it('reads any bytes as an RPC or DecodeError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const decode of [decodePeerExchangeRpc, decodePeerExchangeRequest, decodePeerExchangeResponse]) {
          try {
            decode(bytes)
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('reads requests and responses as nwaku does', () => {
    expect(decodePeerExchangeRequest(Uint8Array.of(0x0a, 0x00))).toEqual({ numPeers: 0n })
    expect(() => decodePeerExchangeRequest(new Uint8Array())).toThrow(DecodeError)
    expect(() =>
      decodePeerExchangeRequest(encodePeerExchangeRpc({ request: { numPeers: 1n }, response: { enrs: [] } })),
    ).toThrow(DecodeError)
    // No status (older nwaku): records mean success. An unknown code reads as UNKNOWN.
    expect(decodePeerExchangeResponse(encodePeerExchangeRpc({ response: { enrs: [] } })).status).toBe(200)
    expect(
      decodePeerExchangeResponse(encodePeerExchangeRpc({ responseStatus: { status: 418 } })).status,
    ).toBe(PeerExchangeStatus.UNKNOWN)
    expect(() => decodePeerExchangeResponse(Uint8Array.of(0x52, 0x00))).toThrow(DecodeError)
  })
})

describe('WakuMetadata codec', () => {
  it('writes shards packed, as nwaku', () => {
    expect(hex(encodeWakuMetadata({ clusterId: 16, shards: [32, 300] }))).toBe('0810120320ac02')
    expect(hex(encodeWakuMetadata({ shards: [] }))).toBe('')
  })

  const metadata = fc.record(
    {
      clusterId: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      shards: fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
    },
    { requiredKeys: ['shards'] },
  )

  it('round-trips, and reads unpacked shards too', () => {
    fc.assert(
      fc.property(metadata, (value) => {
        expect(decodeWakuMetadata(encodeWakuMetadata(value))).toEqual(value)
        const unpacked = [
          ...(value.clusterId === undefined ? [] : [0x08, ...encodeVarint(BigInt(value.clusterId))]),
          ...value.shards.flatMap((shard) => [0x10, ...encodeVarint(BigInt(shard))]),
        ]
        if (unpacked.length <= 1024) expect(decodeWakuMetadata(Uint8Array.from(unpacked))).toEqual(value)
      }),
    )
  })

  it('reads any bytes as metadata or DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const value = decodeWakuMetadata(bytes)
          expect(value.shards.every((shard) => shard >= 0 && shard < 2 ** 32)).toBe(true)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
