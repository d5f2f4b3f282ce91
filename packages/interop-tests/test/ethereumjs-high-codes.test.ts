/**
 * Message ids from 128 on against @ethereumjs/devp2p: the mailserver codes 125–127 both ways (at
 * offset 0x10 they are ids 0x8d..0x8f), and waku/1 beside shh/6 (ids 0x90..0x10f). An RLP integer
 * from 128 on takes two bytes; the unpatched library read only the first one, so every packet here
 * that goes from us to them fails without `patches/@ethereumjs__devp2p@10.0.0.patch`
 * (see docs/decisions/0009-ethereumjs-devp2p-interop.md).
 */
import {
  type Envelope,
  encodeEnvelope,
  hexToTopic,
  sealEnvelope,
  topicFromName,
  topicToHex,
} from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { theirKeccak256 } from './ethereumjs-deps.ts'
import { connectedPair, type Pair } from './ethereumjs-fixtures.ts'
import type { TheirPacket } from './ethereumjs-peer.ts'
import * as theirs from './ethereumjs-wire.ts'
import { MIN_POW, nextEvent, type OurProtocol, ours } from './parley-node.ts'

const TOPIC = topicToHex(topicFromName('parley-interop-history'))
const bytes = (value: string) => new TextEncoder().encode(value)
const text = (value: Uint8Array) => new TextDecoder().decode(value)

let pair: Pair | undefined
afterEach(async () => {
  await pair?.stop()
  pair = undefined
})

function seal(content: string): Promise<Envelope> {
  return sealEnvelope({ topic: hexToTopic(TOPIC), data: bytes(content), ttl: 30, pow: MIN_POW })
}

/** status-go's request-complete layout: requestID(32) ‖ lastEnvelopeHash(32) ‖ cursor(36). */
function requestCompleteLayout(request: Envelope, last: Envelope): Uint8Array {
  const requestId = theirKeccak256(theirs.envelopePacket(request))
  const lastHash = theirKeccak256(theirs.envelopePacket(last))
  const cursor = new Uint8Array(36)
  new DataView(cursor.buffer).setUint32(0, last.expiry - last.ttl)
  cursor.set(lastHash, 4)
  return new Uint8Array([...requestId, ...lastHash, ...cursor])
}

/** The envelopes of their 127 packets, in order: one per packet on shh/6 (go-ethereum's form), a list on waku/1. */
function envelopesIn(packets: TheirPacket[], protocol: OurProtocol): theirs.Envelope[] {
  return packets
    .filter((packet) => packet.capability === protocol && packet.code === 127)
    .flatMap((packet) =>
      protocol === 'shh' ? [theirs.readEnvelope(packet.payload)] : theirs.readEnvelopes(packet.payload),
    )
}

describe.each(['shh', 'waku'] as const)('%s codes 125–127 with @ethereumjs/devp2p', (protocol) => {
  it('ours arrive at their handler under the right code, intact', async () => {
    pair = await connectedPair([protocol])
    const { node, their, ourId, theirId } = pair
    const [request, first, last] = await Promise.all([seal('request'), seal('one'), seal('two')])
    const layout = requestCompleteLayout(request, last)

    await ours(node, protocol).sendP2PRequest(theirId, encodeEnvelope(request))
    await ours(node, protocol).sendP2PMessages(theirId, [encodeEnvelope(first), encodeEnvelope(last)])
    await ours(node, protocol).sendP2PRequestComplete(theirId, layout)

    // One connection, sent in order: once 125 is there, 126 and 127 are too.
    const complete = await their.received({ peerId: ourId, capability: protocol, code: 125 })
    expect(theirs.readRequestComplete(complete.payload)).toEqual(layout)
    const requests = their.packets.filter((packet) => packet.code === 126)
    expect(requests.map((packet) => theirs.envelopeHash(theirs.readEnvelope(packet.payload)))).toEqual([
      theirs.envelopeHash(request),
    ])
    expect(envelopesIn(their.packets, protocol).map((envelope) => text(envelope.data))).toEqual([
      'one',
      'two',
    ])
    expect(their.packets.map((packet) => packet.code).filter((code) => code > 1 && code < 125)).toEqual([])
    expect(their.errors).toEqual([])
  })

  it('theirs reach us: a request from anyone, messages and request-complete from a trusted peer', async () => {
    pair = await connectedPair([protocol])
    const { node, their, ourId, theirId } = pair
    const us = ours(node, protocol)
    const [request, first, last] = await Promise.all([seal('request'), seal('one'), seal('two')])
    const layout = requestCompleteLayout(request, last)
    us.markTrustedPeer(theirId)
    const delivered: ReceivedMessage[] = []
    await us.subscribe({ topics: [TOPIC], allowP2P: true }, (message) => delivered.push(message))
    const gotRequest = nextEvent(us, 'p2p:request')
    const gotMessages = nextEvent(us, 'p2p:message')
    const gotComplete = nextEvent(us, 'p2p:request-complete')

    their.send(ourId, protocol, 126, theirs.envelopePacket(request))
    their.send(ourId, protocol, 127, theirs.envelopesPacket([first, last]))
    their.send(ourId, protocol, 125, theirs.requestCompletePacket(layout))

    expect(await gotRequest).toEqual({
      peer: theirId,
      payload: theirs.envelopePacket(request),
      form: 'envelope',
    })
    expect(await gotMessages).toEqual({
      peer: theirId,
      envelopes: [theirs.envelopePacket(first), theirs.envelopePacket(last)],
    })
    expect(await gotComplete).toEqual({ peer: theirId, payload: layout })
    expect(delivered.map((message) => [text(message.payload), message.p2p, message.from])).toEqual([
      ['one', true, theirId],
      ['two', true, theirId],
    ])
  })

  it("theirs: status-go's bare MessagesRequest (126) is told apart from an envelope", async () => {
    pair = await connectedPair([protocol])
    const { node, their, ourId, theirId } = pair
    const packet = theirs.messagesRequestPacket({
      id: new Uint8Array(32).fill(7),
      from: 1_700_000_000,
      to: 1_700_003_600,
      limit: 100,
      topics: [hexToTopic(TOPIC)],
    })
    const gotRequest = nextEvent(ours(node, protocol), 'p2p:request')
    their.send(ourId, protocol, 126, packet)
    expect(await gotRequest).toEqual({ peer: theirId, payload: packet, form: 'messages-request' })
  })

  it('theirs from a peer we do not trust: the request is ours to answer, the rest is dropped', async () => {
    pair = await connectedPair([protocol])
    const { node, their, ourId } = pair
    const us = ours(node, protocol)
    const [request, first] = await Promise.all([seal('request'), seal('one')])
    const seen: string[] = []
    us.addEventListener('p2p:message', () => seen.push('p2p:message'))
    us.addEventListener('p2p:request-complete', () => seen.push('p2p:request-complete'))
    const gotRequest = nextEvent(us, 'p2p:request')

    their.send(ourId, protocol, 127, theirs.envelopesPacket([first]))
    their.send(ourId, protocol, 125, theirs.requestCompletePacket(requestCompleteLayout(request, first)))
    their.send(ourId, protocol, 126, theirs.envelopePacket(request))

    // Handled in order: by the time the request is seen, the two before it were dropped.
    expect((await gotRequest).payload).toEqual(theirs.envelopePacket(request))
    expect(seen).toEqual([])
  })
})

describe('shh/6 P2P Message in go-ethereum form with @ethereumjs/devp2p', () => {
  it('one bare envelope per 127 packet is read as well', async () => {
    pair = await connectedPair(['shh'])
    const { node, their, ourId, theirId } = pair
    ours(node, 'shh').markTrustedPeer(theirId)
    const envelope = await seal('bare')
    const got = nextEvent(ours(node, 'shh'), 'p2p:message')
    their.send(ourId, 'shh', 127, theirs.envelopePacket(envelope))
    expect((await got).envelopes).toEqual([theirs.envelopePacket(envelope)])
  })
})

describe('waku/1 beside shh/6 with @ethereumjs/devp2p (waku/1 ids 0x90..0x10f)', () => {
  it('exchanges Status, envelopes and 125–127 on both capabilities', async () => {
    // connectedPair waits for each side's Status on each capability: their waku/1 one arrives at 0x90.
    pair = await connectedPair(['shh', 'waku'], { dialer: 'us' })
    const { node, their, ourId, theirId } = pair
    const wakuStatus = await their.received({ capability: 'waku', code: 0 })
    expect(theirs.readWakuStatus(wakuStatus.payload).get(theirs.WAKU_KEY.bloom)).toHaveLength(64)

    // Envelopes both ways on waku/1.
    const hash = await ours(node, 'waku').post({ topic: TOPIC, payload: bytes('waku from parley'), ttl: 30 })
    const messages = await their.received({ peerId: ourId, capability: 'waku', code: 1 })
    expect(theirs.readEnvelopes(messages.payload).map(theirs.envelopeHash)).toEqual([hash])
    const delivered: ReceivedMessage[] = []
    await ours(node, 'waku').subscribe({ topics: [TOPIC] }, (message) => delivered.push(message))
    const arrived = nextEvent(ours(node, 'waku'), 'message:received')
    const sealed = await seal('waku from ethereumjs')
    their.send(ourId, 'waku', 1, theirs.envelopesPacket([sealed]))
    expect(text((await arrived).payload)).toBe('waku from ethereumjs')
    expect(delivered.map((message) => message.hash)).toEqual([theirs.envelopeHash(sealed)])

    // 125 on each capability, both ways: ids 0x8d (shh/6) and 0x10d (waku/1).
    const layout = requestCompleteLayout(sealed, sealed)
    for (const protocol of ['shh', 'waku'] as const) {
      ours(node, protocol).markTrustedPeer(theirId)
      await ours(node, protocol).sendP2PRequestComplete(theirId, layout)
      const complete = await their.received({ peerId: ourId, capability: protocol, code: 125 })
      expect(theirs.readRequestComplete(complete.payload)).toEqual(layout)
      const got = nextEvent(ours(node, protocol), 'p2p:request-complete')
      their.send(ourId, protocol, 125, theirs.requestCompletePacket(layout))
      expect(await got).toEqual({ peer: theirId, payload: layout })
    }
    expect(their.errors).toEqual([])
  })
})
