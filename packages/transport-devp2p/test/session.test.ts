import { loadCrypto, randomBytes } from '@parley/crypto'
import { describe, expect, it } from 'vitest'
import { FrameCoder } from '../src/frame/codec.ts'
import { decodeMessage, encodeMessage } from '../src/frame/message.ts'
import { Initiator, Recipient } from '../src/handshake/handshake.ts'
import { DISCONNECT_REASONS, decodeDisconnect, encodeHello, P2P_MESSAGE } from '../src/p2p/messages.ts'
import { P2pSession, type SessionOutput } from '../src/p2p/session.ts'
import { hex } from './vectors.ts'

const { secp256k1: secp } = await loadCrypto()
const whisper = { name: 'shh', version: 6, length: 128 }
const waku = { name: 'waku', version: 1, length: 128 }

function randomKey(): Uint8Array {
  for (;;) {
    const key = randomBytes(32)
    if (secp.isValidPrivateKey(key)) return key
  }
}

const publicKey = (privateKey: Uint8Array): Uint8Array => secp.getPublicKey(privateKey, false).subarray(1)

/** Frame coders of both ends after a real handshake, with both node keys. */
function handshake() {
  const a = randomKey()
  const b = randomKey()
  const initiator = new Initiator({ secp, privateKey: a, remotePublicKey: secp.getPublicKey(b, false) })
  const recipient = new Recipient({ secp, privateKey: b })
  recipient.readAuth(initiator.makeAuth())
  const framesA = new FrameCoder(initiator.readAck(recipient.makeAck()))
  const framesB = new FrameCoder(recipient.secrets())
  return { a, b, framesA, framesB }
}

function sessionPair(capsA = [whisper, waku], capsB = [waku, whisper]) {
  const { a, b, framesA, framesB } = handshake()
  const common = { clientId: 'parley/test', listenPort: 30303 }
  const alice = new P2pSession({
    ...common,
    frames: framesA,
    localPublicKey: publicKey(a),
    remotePublicKey: publicKey(b),
    capabilities: capsA,
  })
  const bob = new P2pSession({
    ...common,
    frames: framesB,
    localPublicKey: publicKey(b),
    remotePublicKey: publicKey(a),
    capabilities: capsB,
  })
  return { alice, bob }
}

const types = (output: SessionOutput) => output.events.map((event) => event.type)

describe('P2pSession', () => {
  it('exchanges Hellos, dispatches waku codes past 127, answers Ping and ends with Disconnect', () => {
    const { alice, bob } = sessionPair()
    const helloAtBob = bob.receive(alice.hello())
    const helloAtAlice = alice.receive(bob.hello())
    expect(types(helloAtBob)).toEqual(['hello'])
    expect(types(helloAtAlice)).toEqual(['hello'])
    expect(alice.shared?.map((cap) => [cap.name, cap.offset])).toEqual([
      ['shh', 0x10],
      ['waku', 0x90],
    ])
    // two messages in one piece, then a ping split in two pieces
    const wire = Buffer.concat([
      alice.send('waku', 127, Uint8Array.of(0xc0)),
      alice.send('shh', 1, Uint8Array.of(0xc1, 5)),
    ])
    const got = bob.receive(wire)
    expect(got.events).toMatchObject([
      { type: 'message', capability: { name: 'waku' }, code: 127 },
      { type: 'message', capability: { name: 'shh' }, code: 1 },
    ])
    const ping = alice.ping()
    expect(bob.receive(ping.subarray(0, 5)).events).toEqual([])
    const reply = bob.receive(ping.subarray(5))
    expect(reply.send).toHaveLength(1)
    expect(types(alice.receive(reply.send[0]!))).toEqual(['pong'])
    const bye = alice.disconnect(DISCONNECT_REASONS.quitting)
    expect(alice.closed).toBe(true)
    expect(bob.receive(bye).events).toEqual([
      { type: 'disconnect', reason: DISCONNECT_REASONS.quitting, remote: true },
    ])
    expect(bob.closed).toBe(true)
  })

  it('compresses only when the remote Hello says version >= 5', () => {
    for (const version of [4, 5]) {
      const { a, b, framesA, framesB } = handshake()
      const bob = new P2pSession({
        frames: framesB,
        localPublicKey: publicKey(b),
        remotePublicKey: publicKey(a),
        clientId: 'bob',
        listenPort: 0,
        capabilities: [waku],
      })
      const hello = encodeHello({
        protocolVersion: version,
        clientId: 'old',
        capabilities: [waku],
        listenPort: 0,
        nodeId: publicKey(a),
      })
      expect(types(bob.receive(framesA.writeFrame(encodeMessage(0, hello, { snappy: false }))))).toEqual([
        'hello',
      ])
      framesA.push(bob.hello())
      const data = new Uint8Array(200).fill(7)
      const [frame] = framesA.push(bob.send('waku', 2, data))
      expect(hex(decodeMessage(frame!, { snappy: version >= 5 }).data)).toBe(hex(data))
    }
  })

  it('disconnects on a first message other than Hello, a foreign node id, or no shared capability', () => {
    const first = sessionPair()
    const out = first.bob.receive(first.alice.ping())
    expect(out.events).toMatchObject([
      { type: 'disconnect', reason: DISCONNECT_REASONS.protocolError, remote: false },
    ])
    expect(out.send).toHaveLength(1)

    const { a, framesA, framesB, b } = handshake()
    const bob = new P2pSession({
      frames: framesB,
      localPublicKey: publicKey(b),
      remotePublicKey: publicKey(a),
      clientId: 'b',
      listenPort: 0,
      capabilities: [waku],
    })
    const impostor = encodeHello({
      protocolVersion: 5,
      clientId: 'x',
      capabilities: [waku],
      listenPort: 0,
      nodeId: publicKey(randomKey()),
    })
    const refused = bob.receive(framesA.writeFrame(encodeMessage(0, impostor, { snappy: false })))
    expect(refused.events).toMatchObject([
      { type: 'disconnect', reason: DISCONNECT_REASONS.unexpectedIdentity },
    ])
    const [disconnect] = framesA.push(refused.send[0]!)
    const message = decodeMessage(disconnect!, { snappy: false })
    expect([message.code, decodeDisconnect(message.data)]).toEqual([
      P2P_MESSAGE.disconnect,
      DISCONNECT_REASONS.unexpectedIdentity,
    ])

    const useless = sessionPair([whisper], [waku])
    expect(useless.bob.receive(useless.alice.hello()).events).toMatchObject([
      { type: 'disconnect', reason: DISCONNECT_REASONS.uselessPeer },
    ])
  })

  it('turns corrupt bytes and out-of-range ids into a disconnect, never a throw', () => {
    const corrupt = sessionPair()
    expect(corrupt.bob.receive(randomBytes(64)).events).toMatchObject([{ type: 'disconnect', remote: false }])
    expect(corrupt.bob.receive(randomBytes(64)).events).toEqual([]) // closed: input is ignored

    const { a, b, framesA, framesB } = handshake()
    const bob = new P2pSession({
      frames: framesB,
      localPublicKey: publicKey(b),
      remotePublicKey: publicKey(a),
      clientId: 'b',
      listenPort: 0,
      capabilities: [waku],
    })
    const hello = encodeHello({
      protocolVersion: 5,
      clientId: 'a',
      capabilities: [waku],
      listenPort: 0,
      nodeId: publicKey(a),
    })
    bob.receive(framesA.writeFrame(encodeMessage(0, hello, { snappy: false })))
    expect(() => bob.send('shh', 1, new Uint8Array(0))).toThrow()
    expect(() => bob.send('waku', 128, new Uint8Array(0))).toThrow()
    // waku holds 0x10..0x8f here; 0x04 is a reserved base id (ignored), 0x90 is out of range
    expect(
      bob.receive(framesA.writeFrame(encodeMessage(0x04, Uint8Array.of(0xc0), { snappy: true }))).events,
    ).toEqual([])
    expect(
      bob.receive(framesA.writeFrame(encodeMessage(0x90, Uint8Array.of(0xc0), { snappy: true }))).events,
    ).toMatchObject([{ type: 'disconnect', reason: DISCONNECT_REASONS.protocolError, remote: false }])
  })
})
