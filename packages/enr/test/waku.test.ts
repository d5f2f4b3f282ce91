import { loadCrypto } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeEnr,
  decodeRs,
  decodeRsv,
  decodeWaku2,
  decodeWakuMultiaddrs,
  encodeRs,
  encodeRsv,
  encodeWaku2,
  encodeWakuMultiaddrs,
  enrAddresses,
  enrWakuFields,
  libp2pPeerId,
  MAX_SHARD_INDEX,
  multiaddrToBytes,
  shardsEntry,
  type Waku2Capability,
} from '../src/index.ts'
import { field, hex, loadVectors, unhex } from './vectors.ts'

const { secp256k1: secp } = await loadCrypto()
const cases = loadVectors('waku2-enr.json')
const ofKind = (kind: string) => cases.filter((vector) => vector.kind === kind)

describe('Waku records (js-waku, go-waku, nwaku)', () => {
  it.each(ofKind('enr_decode'))('$id', (vector) => {
    const expected = vector.derived_decode
    const enr = decodeEnr(field(vector.input, 'enr'), secp)
    expect(hex(enr.bytes)).toBe(field(expected, 'rlp_hex'))
    expect(enr.seq).toBe(BigInt(field<number>(expected, 'seq')))
    expect([...enr.entries.keys()]).toEqual(field(expected, 'keys'))
    expect(hex(enr.publicKey)).toBe(field(expected, 'secp256k1'))
    expect(hex(enr.nodeId)).toBe(field(expected, 'node_id'))
    expect(libp2pPeerId(enr.publicKey)).toBe(field(expected, 'peer_id'))
    const addresses = enrAddresses(enr)
    for (const key of ['ip', 'tcp', 'udp'] as const) expect(addresses[key]).toBe(expected?.[key])
    const waku = enrWakuFields(enr)
    if (expected?.waku2 !== undefined)
      expect(hex(encodeWaku2(waku.capabilities ?? []))).toBe(field(expected, 'waku2'))
    else expect(waku.capabilities).toBeUndefined()
    const multiaddrs = expected?.multiaddrs as Array<{ string: string }> | undefined
    expect(waku.multiaddrs).toEqual(multiaddrs?.map((address) => address.string))
    if (multiaddrs !== undefined)
      expect(hex(encodeWakuMultiaddrs(waku.multiaddrs ?? []))).toBe(field(expected, 'multiaddrs_hex'))
    expect(waku.shards).toEqual(expected?.rs)
    const official = vector.expected_official?.multiaddr_from_ip_tcp
    if (typeof official === 'string') {
      // go-waku's TestEnodeToMultiAddr: ip + tcp + peer id.
      const { ip, tcp } = enrAddresses(enr)
      expect(`/ip4/${ip}/tcp/${tcp}/p2p/${libp2pPeerId(enr.publicKey)}`).toBe(official)
    }
  })
})

describe('waku2 capability byte', () => {
  // js-waku spells it "lightPush", nwaku "Lightpush"; the bit is the same.
  const name = (flag: string) => flag.toLowerCase() as Waku2Capability

  it.each(ofKind('waku2_bitfield'))('$id', (vector) => {
    const flags = field<string[]>(vector.input, 'flags').map(name)
    const byte = field<number>(vector.expected, 'waku2_byte')
    expect(encodeWaku2(flags)).toEqual(Uint8Array.of(byte))
    expect(decodeWaku2(Uint8Array.of(byte))).toEqual(new Set(flags))
  })

  it('knows nwaku sync (bit 4) and mix (bit 5); ignores bits 6 and 7; rejects other lengths', () => {
    expect(encodeWaku2(['sync', 'mix'])).toEqual(Uint8Array.of(0x30))
    expect(decodeWaku2(Uint8Array.of(0xc1))).toEqual(new Set(['relay']))
    expect(() => decodeWaku2(new Uint8Array(0))).toThrow(DecodeError)
    expect(() => decodeWaku2(Uint8Array.of(1, 1))).toThrow(DecodeError)
    expect(() => encodeWaku2(['bogus' as Waku2Capability])).toThrow(InvalidParametersError)
  })
})

describe('relay shards', () => {
  it.each(ofKind('rs').filter((vector) => vector.input?.rs_hex !== undefined))('$id decodes', (vector) => {
    const decoded = decodeRs(unhex(field(vector.input, 'rs_hex')))
    expect(decoded).toEqual({
      cluster: field<number>(vector.expected, 'cluster_id'),
      shards: field<number[]>(vector.expected, 'shards'),
    })
    expect(hex(encodeRs(decoded))).toBe(field(vector.input, 'rs_hex'))
  })

  it('encodes the spec index-list example', () => {
    const vector = cases.find((c) => c.id === 'rs-spec-example')!
    const shards = {
      cluster: field<number>(vector.input, 'cluster_id'),
      shards: field<number[]>(vector.input, 'shards'),
    }
    expect(hex(encodeRs(shards))).toBe(field(vector.expected, 'rs_hex'))
  })

  it('reads rsv in the nwaku/go-waku bit order, which deployed nodes use', () => {
    const vector = cases.find((c) => c.id === 'rsv-bit-vector-nwaku')!
    const bytes = unhex(field(vector.input, 'rsv_hex'))
    const decoded = decodeRsv(bytes)
    expect(decoded).toEqual({
      cluster: field<number>(vector.expected, 'cluster_id'),
      shards: field<number[]>(vector.expected, 'shards'),
    })
    // js-waku (MSB first) and the spec prose would read other shards from the same bytes; nwaku wins.
    for (const other of Object.values(vector.derived_other_readings ?? {}))
      expect(decoded.shards).not.toEqual(other)
    expect(hex(encodeRsv(decoded))).toBe(hex(bytes))
  })

  it('uses rs below 64 shards and rsv from 64 on; rs wins when a record has both', () => {
    const few = { cluster: 1, shards: Array.from({ length: 63 }, (_, i) => i) }
    const many = { cluster: 1, shards: Array.from({ length: 64 }, (_, i) => i * 16) }
    expect(shardsEntry(few)[0]).toBe('rs')
    expect(shardsEntry(many)[0]).toBe('rsv')
    expect(() => encodeRs(many)).toThrow(InvalidParametersError)
    const entries = new Map([
      ['rs', encodeRs({ cluster: 5, shards: [1] })],
      ['rsv', encodeRsv({ cluster: 6, shards: [2] })],
    ])
    expect(enrWakuFields({ seq: 1n, signature: new Uint8Array(0), entries }).shards).toEqual({
      cluster: 5,
      shards: [1],
    })
  })

  it('rejects malformed fields and out-of-range indices', () => {
    expect(() => decodeRs(unhex('0001'))).toThrow(DecodeError)
    expect(() => decodeRs(unhex('00010200010002ff'))).toThrow(DecodeError)
    expect(() => decodeRs(unhex('0001010400'))).toThrow(DecodeError) // shard 1024
    expect(() => decodeRsv(new Uint8Array(129))).toThrow(DecodeError)
    expect(() => encodeRsv({ cluster: 1, shards: [MAX_SHARD_INDEX + 1] })).toThrow(InvalidParametersError)
    expect(() => encodeRs({ cluster: 65536, shards: [] })).toThrow(InvalidParametersError)
  })

  it('round-trips any shard set through rsv and rs', () => {
    const shardSet = fc.uniqueArray(fc.integer({ min: 0, max: MAX_SHARD_INDEX }), { maxLength: 100 })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), shardSet, (cluster, shards) => {
        const sorted = [...shards].sort((a, b) => a - b)
        expect(decodeRsv(encodeRsv({ cluster, shards }))).toEqual({ cluster, shards: sorted })
        if (shards.length <= 63) expect(decodeRs(encodeRs({ cluster, shards }))).toEqual({ cluster, shards })
      }),
    )
  })

  it('garbage shard fields fail only with DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 140 }), (bytes) => {
        for (const run of [() => decodeRs(bytes), () => decodeRsv(bytes), () => decodeWaku2(bytes)])
          try {
            run()
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
      }),
    )
  })
})

describe('multiaddrs field', () => {
  const peer = '16Uiu2HAkykgaECHswi3YKJ5dMLbq2kPVCo89fcyTd38UcQD6ej5W'

  it('drops a trailing own peer id and stores circuit addresses without /p2p-circuit', () => {
    const stored = encodeWakuMultiaddrs([
      `/ip4/1.2.3.4/tcp/60000/wss/p2p/${peer}`,
      `/dns4/relay.example/tcp/443/wss/p2p/${peer}/p2p-circuit`,
    ])
    expect(decodeWakuMultiaddrs(stored)).toEqual([
      '/ip4/1.2.3.4/tcp/60000/wss',
      `/dns4/relay.example/tcp/443/wss/p2p/${peer}/p2p-circuit`,
    ])
    expect(() => encodeWakuMultiaddrs([`/p2p/${peer}/tcp/1`])).toThrow(InvalidParametersError)
    // A circuit address stored with its /p2p-circuit (not stripped by the writer) is not doubled.
    const circuit = `/dns4/r.example/tcp/1/p2p/${peer}/p2p-circuit`
    const binary = multiaddrToBytes(circuit)
    const unstripped = Uint8Array.of(binary.length >> 8, binary.length & 0xff, ...binary)
    expect(decodeWakuMultiaddrs(unstripped)).toEqual([circuit])
  })

  it('rejects truncated fields', () => {
    expect(() => decodeWakuMultiaddrs(unhex('00'))).toThrow(DecodeError)
    expect(() => decodeWakuMultiaddrs(unhex('000504'))).toThrow(DecodeError)
  })
})
