import { createKeccak256 } from '@parley/crypto'
import { DecodeError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { absoluteMessageCode, matchCapabilities, resolveMessageCode } from '../src/capabilities.ts'
import { FrameCoder } from '../src/frame/codec.ts'
import { decodeMessage, encodeMessage } from '../src/frame/message.ts'
import {
  DISCONNECT_REASONS,
  decodeDisconnect,
  decodeHello,
  disconnectReasonText,
  encodeDisconnect,
  encodeHello,
  encodePing,
  P2P_VERSION,
} from '../src/p2p/messages.ts'
import { field, hex, loadVectors, unhex, vectorCase } from './vectors.ts'

const cases = loadVectors('rlpx-eip8.json')
const whisper = { name: 'shh', version: 6, length: 128 }
const waku = { name: 'waku', version: 1, length: 128 }

describe('Hello', () => {
  it('accepts the EIP-8 forward-compatible Hello', () => {
    const c = vectorCase(cases, 'p2p-hello-forward-compat')
    expect(field<boolean>(c.expected, 'must_accept')).toBe(true)
    const hello = decodeHello(unhex(field(c.input, 'hello_rlp')))
    expect(hello.protocolVersion).toBe(field<number>(c.derived, 'protocolVersion'))
    expect(hello.clientId).toBe(field(c.derived, 'clientId_text'))
    expect(hello.capabilities.map((cap) => [cap.name, cap.version])).toEqual(field(c.derived, 'capabilities'))
    expect(hello.listenPort).toBe(field<number>(c.derived, 'listenPort'))
    expect(hex(hello.nodeId)).toBe(field(c.derived, 'nodeKey'))
    expect(hello.rest).toHaveLength(field<string[]>(c.derived, 'rest_raw_rlp').length)
  })

  it('round-trips and ignores bytes after the list', () => {
    const hello = {
      protocolVersion: P2P_VERSION,
      clientId: 'parley/v0.1',
      capabilities: [
        { name: 'shh', version: 6 },
        { name: 'waku', version: 1 },
      ],
      listenPort: 30303,
      nodeId: new Uint8Array(64).fill(9),
    }
    const bytes = encodeHello(hello)
    const withJunk = new Uint8Array(bytes.length + 3)
    withJunk.set(bytes)
    expect(decodeHello(withJunk)).toEqual({ ...hello, rest: [] })
  })

  it('rejects a short list or a wrong node id size', () => {
    expect(() => decodeHello(unhex('c40580c080'))).toThrow(DecodeError)
    const bad = encodeHello({
      protocolVersion: 5,
      clientId: 'x',
      capabilities: [],
      listenPort: 0,
      nodeId: new Uint8Array(63),
    })
    expect(() => decodeHello(bad)).toThrow(DecodeError)
  })
})

describe('Disconnect, Ping, Pong', () => {
  it('encodes [reason] and decodes a list or a bare reason', () => {
    expect(hex(encodeDisconnect(DISCONNECT_REASONS.tooManyPeers))).toBe('c104')
    expect(decodeDisconnect(unhex('c104'))).toBe(4)
    expect(decodeDisconnect(unhex('04'))).toBe(4)
    expect(decodeDisconnect(unhex('c180'))).toBe(0)
    expect(decodeDisconnect(unhex('c2100a'))).toBe(0x10) // extra elements ignored
    expect(() => decodeDisconnect(unhex('c0'))).toThrow(DecodeError)
    expect(disconnectReasonText(DISCONNECT_REASONS.subprotocolError)).toBe('subprotocol error')
    expect(disconnectReasonText(0x42)).toBe('unknown disconnect reason 66')
    expect(hex(encodePing())).toBe('c0')
  })

  it('garbage makes the p2p decoders throw only DecodeError (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (junk) => {
        for (const decode of [decodeHello, decodeDisconnect]) {
          try {
            decode(junk)
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
        }
      }),
    )
  })
})

describe('capability negotiation', () => {
  it('gives shh/6 0x10..0x8f and waku/1 0x90..0x10f when both are shared', () => {
    const shared = matchCapabilities(
      [waku, whisper],
      [
        { name: 'waku', version: 1 },
        { name: 'shh', version: 6 },
      ],
    )
    expect(shared.map((cap) => [cap.name, cap.offset, cap.offset + cap.length - 1])).toEqual([
      ['shh', 0x10, 0x8f],
      ['waku', 0x90, 0x10f],
    ])
    expect(resolveMessageCode(shared, 0x8f)).toEqual({ capability: shared[0], code: 127 })
    expect(resolveMessageCode(shared, 0x90)).toEqual({ capability: shared[1], code: 0 })
    expect(resolveMessageCode(shared, 0x10f)).toEqual({ capability: shared[1], code: 127 })
    expect(resolveMessageCode(shared, 0x110)).toBeUndefined()
    expect(resolveMessageCode(shared, 0x02)).toBeUndefined()
    expect(() => absoluteMessageCode(shared[0]!, 128)).toThrow()
  })

  it('matches name and version, keeps the highest shared version, ignores unshared ones', () => {
    const local = [
      { name: 'eth', version: 62, length: 8 },
      { name: 'eth', version: 63, length: 17 },
      { name: 'eth', version: 64, length: 17 },
      whisper,
    ]
    const remote = [
      { name: 'eth', version: 63 },
      { name: 'eth', version: 62 },
      { name: 'eth', version: 65 },
      { name: 'shh', version: 5 },
      { name: 'bzz', version: 1 },
    ]
    expect(matchCapabilities(local, remote)).toEqual([{ name: 'eth', version: 63, length: 17, offset: 0x10 }])
  })

  it('dispatches mailserver codes 125..127 of waku past id 255 through frames and back', () => {
    const shared = matchCapabilities([whisper, waku], [whisper, waku])
    const state = () => createKeccak256()
    const secrets = { aes: new Uint8Array(32).fill(1), mac: new Uint8Array(32).fill(2) }
    const writer = new FrameCoder({ ...secrets, egressMac: state(), ingressMac: state() })
    const reader = new FrameCoder({ ...secrets, egressMac: state(), ingressMac: state() })
    for (const [cap, code] of [
      [shared[0]!, 126],
      [shared[1]!, 125],
      [shared[1]!, 126],
      [shared[1]!, 127],
    ] as const) {
      const payload = Uint8Array.of(0xc1, code)
      const frame = writer.writeFrame(
        encodeMessage(absoluteMessageCode(cap, code), payload, { snappy: true }),
      )
      const [content] = reader.push(frame)
      const message = decodeMessage(content!, { snappy: true })
      const target = resolveMessageCode(shared, message.code)
      expect([target?.capability.name, target?.code, hex(message.data)]).toEqual([
        cap.name,
        code,
        hex(payload),
      ])
    }
  })
})
