import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatIp, multiaddrFromBytes, multiaddrToBytes, parseIp } from '../src/index.ts'
import { hex } from './vectors.ts'

describe('multiaddr', () => {
  // Binary forms as in the multiformats multiaddr test suite and the go-waku record in waku2-enr.json.
  const known: Array<[string, string]> = [
    ['/ip4/127.0.0.1/tcp/4001', '047f000001060fa1'],
    ['/ip4/127.0.0.1/udp/1234/quic-v1', '047f000001910204d2cd03'],
    ['/ip6/::1/tcp/30303', '29000000000000000000000000000000010676 5f'.replace(' ', '')],
    [
      '/dns4/node-01.do-ams3.waku.test.statusim.net/tcp/8000/wss',
      '36266e6f64652d30312e646f2d616d73332e77616b752e746573742e737461747573696d2e6e6574061f40de03',
    ],
    ['/dnsaddr/bootstrap.libp2p.io', '3813626f6f7473747261702e6c69627032702e696f'],
    ['/dns6/x/tcp/1/ws', '370178060001dd03'],
    [
      '/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC',
      '0401020304060001a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b',
    ],
  ]
  it.each(known)('%s', (text, binary) => {
    expect(hex(multiaddrToBytes(text))).toBe(binary)
    expect(multiaddrFromBytes(Buffer.from(binary, 'hex'))).toBe(text)
  })

  it('rejects bad text with InvalidParametersError', () => {
    for (const bad of [
      '',
      'ip4/1.2.3.4',
      '/ip4/1.2.3',
      '/tcp/70000',
      '/foo/1',
      '/tcp',
      '/dns4/',
      '/p2p/0OIl',
    ])
      expect(() => multiaddrToBytes(bad), bad).toThrow(InvalidParametersError)
  })

  it('garbage bytes fail only with DecodeError; what decodes re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let text: string
        try {
          text = multiaddrFromBytes(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
          return
        }
        expect(hex(multiaddrToBytes(text))).toBe(hex(bytes))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('IP text', () => {
  it('formats and parses IPv4 and IPv6 (RFC 5952)', () => {
    for (const [text, canonical] of [
      ['127.0.0.1', '127.0.0.1'],
      ['::', '::'],
      ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
      ['fe80::', 'fe80::'],
    ])
      expect(formatIp(parseIp(text!)!)).toBe(canonical)
    for (const bad of ['1.2.3', '01.2.3.4', '256.0.0.1', '1::2::3', ':::', '1:2:3:4:5:6:7:8:9', '12345::'])
      expect(parseIp(bad), bad).toBeUndefined()
  })

  it('round-trips any address', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
        ),
        (bytes) => {
          expect(parseIp(formatIp(bytes))).toEqual(bytes)
        },
      ),
    )
  })
})
