/**
 * Envelopes both ways with @ethereumjs/devp2p on shh/6 and on waku/1 (each capability alone, so at
 * offset 0x10; side by side is `ethereumjs-high-codes.test.ts`). Ours must decode with their RLP to the
 * fields and hash we report; theirs (pow from our sealer, RLP and framing theirs) must reach a subscription.
 */
import { hexToTopic, sealEnvelope, topicFromName, topicToHex } from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { connectedPair, type Pair } from './ethereumjs-fixtures.ts'
import * as theirs from './ethereumjs-wire.ts'
import { MIN_POW, nextEvent, type OurProtocol, ours } from './parley-node.ts'

const TOPIC = topicToHex(topicFromName('parley-interop'))
const OTHER_TOPIC = topicToHex(topicFromName('parley-interop-other'))
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const bytes = (value: string) => new TextEncoder().encode(value)

let pair: Pair | undefined
afterEach(async () => {
  await pair?.stop()
  pair = undefined
})

describe.each(['shh', 'waku'] as const)('%s envelopes with @ethereumjs/devp2p', (protocol: OurProtocol) => {
  it('ours arrives at their handler and decodes, their RLP, to what we sealed', async () => {
    pair = await connectedPair([protocol])
    const { node, their, ourId } = pair
    const before = Math.floor(Date.now() / 1000)
    const hash = await ours(node, protocol).post({ topic: TOPIC, payload: bytes('from parley'), ttl: 30 })

    const packet = await their.received({ peerId: ourId, capability: protocol, code: 1 })
    const [envelope, ...more] = theirs.readEnvelopes(packet.payload)
    expect(more).toEqual([])
    expect(theirs.envelopeHash(envelope!)).toBe(hash)
    expect(`0x${Buffer.from(envelope!.topic).toString('hex')}`).toBe(TOPIC)
    expect(text(envelope!.data)).toBe('from parley')
    expect(envelope!.ttl).toBe(30)
    expect(envelope!.expiry - 30).toBeGreaterThanOrEqual(before)
    expect(envelope!.expiry - 30).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
  })

  it('theirs is accepted and delivered to our subscription', async () => {
    pair = await connectedPair([protocol])
    const { node, their, ourId, theirId } = pair
    const delivered: ReceivedMessage[] = []
    await ours(node, protocol).subscribe({ topics: [TOPIC] }, (message) => delivered.push(message))
    const arrived = nextEvent(ours(node, protocol), 'message:received')

    // Only the nonce search is ours; the packet is their RLP in their frames.
    const sealed = await sealEnvelope({
      topic: hexToTopic(TOPIC),
      data: bytes('from ethereumjs'),
      ttl: 20,
      pow: MIN_POW,
    })
    their.send(ourId, protocol, 1, theirs.envelopesPacket([sealed]))

    const message = await arrived
    expect(message.hash).toBe(theirs.envelopeHash(sealed))
    expect(message.topic).toBe(TOPIC)
    expect(text(message.payload)).toBe('from ethereumjs')
    expect(message.from).toBe(theirId)
    expect(delivered.map((m) => m.hash)).toEqual([message.hash])
  })
})

describe('waku/1 topic interest with @ethereumjs/devp2p', () => {
  it('we send them only the topics their Status asked for', async () => {
    pair = await connectedPair(['waku'], { topicInterest: [hexToTopic(TOPIC)] })
    const { node, their, ourId } = pair
    // Same connection, sent in order: once the wanted one has arrived, the other would have too.
    await ours(node, 'waku').post({ topic: OTHER_TOPIC, payload: bytes('unwanted'), ttl: 30 })
    await ours(node, 'waku').post({ topic: TOPIC, payload: bytes('wanted'), ttl: 30 })

    await their.received({ peerId: ourId, capability: 'waku', code: 1 })
    const sent = their.packets
      .filter((packet) => packet.code === 1)
      .flatMap((packet) => theirs.readEnvelopes(packet.payload).map((envelope) => text(envelope.data)))
    expect(sent).toEqual(['wanted'])
  })
})
