import { loadCrypto } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeEnr, enodeFromEnr, formatEnode, parseEnode, signEnr } from '../src/index.ts'
import { field, loadVectors, unhex } from './vectors.ts'

const urlCases = loadVectors('enr-eip778.json').filter((vector) => vector.id.startsWith('geth-enode-url-'))
const id =
  '1dd9d65c4552b5eb43d5ad55a2ee3f56c6cbc1c64a5c8d659f51fcd51bace24351232b8d7821617d2b29b54b81cdefb9b3e9c37d7fd5f63270bcc9e1a6f6a439'

describe('parseEnode (go-ethereum parseNodeTests)', () => {
  it('has the URL cases', () => {
    expect(urlCases.length).toBeGreaterThanOrEqual(10)
  })

  it.each(urlCases)('$id', (vector) => {
    const url = field(vector.input, 'url')
    if (vector.expected?.valid === true) {
      const parsed = parseEnode(url)
      expect(parsed.id).toBe(field(vector.expected, 'pubkey'))
      expect(parsed.tcp).toBe(field<number>(vector.expected, 'tcp'))
      expect(parsed.udp).toBe(field<number>(vector.expected, 'udp'))
      expect(parsed.ip ?? null).toBe(vector.expected.ip)
      if (vector.expected.hostname !== undefined) expect(parsed.host).toBe(vector.expected.hostname)
    } else {
      expect(vector.expected?.valid).toBe(false)
      expect(() => parseEnode(url)).toThrow(DecodeError)
    }
  })

  it('reads discport, IPv6 and rejects what go-ethereum rejects', () => {
    expect(parseEnode(`enode://${id}@10.3.58.6:30303?discport=30301`)).toEqual({
      id,
      host: '10.3.58.6',
      ip: '10.3.58.6',
      tcp: 30303,
      udp: 30301,
    })
    expect(parseEnode(`enode://${id.toUpperCase()}@[2001:DB8::1]:1`)).toMatchObject({ id, ip: '2001:db8::1' })
    for (const bad of [
      `enode://${id}@127.0.0.1`, // no port
      `enode://${id}@127.0.0.1:65536`,
      `enode://${id}@127.0.0.1:1?discport=x`,
      `enode://${id}@[::1x]:1`,
      `enode://${id}@bad_host:1`,
      `enode://${id.slice(2)}00@127.0.0.1:1`, // not on the curve (almost surely)
      `http://${id}@127.0.0.1:1`,
    ])
      expect(() => parseEnode(bad), bad).toThrow(DecodeError)
  })
})

describe('formatEnode', () => {
  it('formats like go-ethereum URLv4 and round-trips', () => {
    expect(formatEnode({ id, host: '127.0.0.1', tcp: 30303 })).toBe(`enode://${id}@127.0.0.1:30303`)
    expect(formatEnode({ id, host: '::', tcp: 1, udp: 2 })).toBe(`enode://${id}@[::]:1?discport=2`)
    expect(formatEnode({ id, host: 'node.example.org', tcp: 5, udp: 5 })).toBe(
      `enode://${id}@node.example.org:5`,
    )
    expect(formatEnode({ id })).toBe(`enode://${id}`)
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        (host, tcp, udp) => {
          expect(parseEnode(formatEnode({ id, host, tcp, udp }))).toEqual({ id, host, ip: host, tcp, udp })
        },
      ),
    )
  })

  it('rejects bad ids, hosts and ports with InvalidParametersError', () => {
    expect(() => formatEnode({ id: 'abcd', host: '1.2.3.4', tcp: 1 })).toThrow(InvalidParametersError)
    expect(() => formatEnode({ id, host: 'a b', tcp: 1 })).toThrow(InvalidParametersError)
    expect(() => formatEnode({ id, host: '1.2.3.4', tcp: 70000 })).toThrow(InvalidParametersError)
  })

  it('garbage URLs fail only with DecodeError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (tail) => {
        for (const url of [tail, `enode://${tail}`, `enode://${id}@${tail}`])
          try {
            parseEnode(url)
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
      }),
    )
  })
})

describe('enodeFromEnr', () => {
  it('gives the enode URL of a record', async () => {
    const { secp256k1: secp } = await loadCrypto()
    const example = loadVectors('enr-eip778.json').find((vector) => vector.id === 'eip778-example-record')!
    const enr = decodeEnr(field(example.input, 'enr_text'), secp)
    const enode = enodeFromEnr(enr, secp)
    expect(enode).toMatchObject({ host: '127.0.0.1', ip: '127.0.0.1', tcp: 0, udp: 30303 })
    expect(parseEnode(formatEnode(enode))).toEqual(enode)
    const key = unhex(field(example.input, 'private_key'))
    const bare = signEnr({ seq: 1 }, key, secp)
    expect(enodeFromEnr(bare, secp)).toEqual({ id: enode.id, tcp: 0, udp: 0 })
    const v6 = signEnr(
      { seq: 1, entries: { ip6: new Uint8Array(16).fill(0).fill(1, 15), tcp6: 9 } },
      key,
      secp,
    )
    expect(formatEnode(enodeFromEnr(v6, secp))).toBe(`enode://${enode.id}@[::1]:9`)
  })
})
