/**
 * The direct packets (125–127) on waku/1. Pins status-go's forms: 127 is a list of envelopes, both
 * ways (status-go decodes nothing else, so a bare envelope is a violation here), split into packets
 * that fit the max message size; 126 is one envelope; 125 is an RLP byte string.
 */
import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelopes,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  topicFromName,
  topicToHex,
  WakuCode,
} from '@parley/envelope'
import type { ReceivedMessage, V1DirectEvents } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'
import type { Waku1Init } from '../src/index.ts'
import {
  connect,
  dialRaw,
  envelopesCounted,
  nodeId,
  nowSeconds,
  type RawPeer,
  rawPeer,
  startBoth,
  stoppedAfterEach,
  until,
  waku,
  wakuHandshake,
  wakuNode,
} from './helpers.ts'

const topic = topicFromName('parley-waku-direct')
const T = topicToHex(topic)

const nodes = stoppedAfterEach()

async function setup(
  init: Waku1Init = {},
): Promise<{ node: ParleyNode; raw: RawPeer; p2p: ReceivedMessage[] }> {
  const node = wakuNode('target', init)
  const raw = rawPeer('raw')
  await startBoth(nodes, node, raw)
  const p2p: ReceivedMessage[] = []
  await waku(node).subscribe({ topics: [T], allowP2P: true }, (message) => p2p.push(message))
  await dialRaw(raw, node)
  await wakuHandshake(raw, node)
  return { node, raw, p2p }
}

function history(text: string): Envelope {
  return { expiry: nowSeconds() - 3600, ttl: 60, topic, data: utf8ToBytes(text), nonce: 0n }
}

function events<K extends keyof V1DirectEvents & string>(node: ParleyNode, type: K): V1DirectEvents[K][] {
  const seen: V1DirectEvents[K][] = []
  waku(node).addEventListener(type, (event) => seen.push(event.detail))
  return seen
}

describe('waku/1 direct packets', () => {
  it('takes 127 from a trusted peer only as a list; a bare envelope is a violation', async () => {
    const { node, raw, p2p } = await setup({ maxPeerViolations: 1 })
    waku(node).markTrustedPeer(nodeId(raw.node))
    await raw.peer!.send(WakuCode.p2pMessage, encodeEnvelopes([history('listed')]))
    await until(() => p2p.length === 1, 'list delivered')
    expect(p2p[0]!.p2p).toBe(true)
    await raw.peer!.send(WakuCode.p2pMessage, encodeEnvelope(history('bare')))
    await until(() => raw.disconnected, 'bare envelope is not status-go waku/1')
    expect(p2p).toHaveLength(1)
    expect(await envelopesCounted(node, 'p2p')).toBe(1)
  })

  it('sends 127 as lists, split so that each packet fits the max message size', async () => {
    const { node, raw } = await setup()
    waku(node).setMaxMessageSize(1000)
    const replies = ['a', 'b', 'c'].map((fill) => encodeEnvelope(history(fill.repeat(400))))
    await waku(node).sendP2PMessages(nodeId(raw.node), replies)
    await until(
      () => raw.received.filter((packet) => packet.code === WakuCode.p2pMessage).length === 2,
      '2 packets',
    )
    const packets = raw.received.filter((packet) => packet.code === WakuCode.p2pMessage)
    expect(packets.map((packet) => decodeEnvelopes(packet.payload).length)).toEqual([2, 1])
    expect(packets.every((packet) => packet.payload.length <= 1000)).toBe(true)
    expect(decodeEnvelopes(packets[1]!.payload).map((envelope) => encodeEnvelope(envelope))).toEqual([
      replies[2],
    ])
  })

  it('drops 125 from an untrusted peer and emits it from a trusted one', async () => {
    const { node, raw } = await setup()
    const completes = events(node, 'p2p:request-complete')
    const layout = new Uint8Array(100).fill(3)
    await raw.peer!.send(WakuCode.p2pRequestComplete, encode(layout))
    await until(async () => (await envelopesCounted(node, 'untrusted-request-complete')) === 1, 'dropped')
    waku(node).markTrustedPeer(nodeId(raw.node))
    await raw.peer!.send(WakuCode.p2pRequestComplete, encode(layout))
    await until(() => completes.length === 1, 'request complete emitted')
    expect(completes[0]!.payload).toEqual(layout)
  })

  it('runs a mailserver exchange between two nodes: 126 request, 127 reply, 125 complete', async () => {
    const client = wakuNode('client')
    const server = wakuNode('server')
    nodes.push(client, server)
    await client.start()
    await server.start()
    await connect(client, server)
    waku(client).markTrustedPeer(nodeId(server))
    const got: ReceivedMessage[] = []
    const ignored: ReceivedMessage[] = []
    await waku(client).subscribe({ topics: [T], allowP2P: true }, (message) => got.push(message))
    await waku(client).subscribe({ topics: [T] }, (message) => ignored.push(message))
    const completes = events(client, 'p2p:request-complete')
    waku(server).addEventListener('p2p:request', (event) => {
      const { peer } = event.detail
      void (async () => {
        await waku(server).sendP2PMessages(peer, [encodeEnvelope(history('archived'))])
        await waku(server).sendP2PRequestComplete(peer, new Uint8Array(64).fill(9))
      })()
    })
    await waku(client).sendP2PRequest(nodeId(server), encodeEnvelope(history('request')))
    await until(() => completes.length === 1, 'request complete')
    expect(got.map((message) => new TextDecoder().decode(message.payload))).toEqual(['archived'])
    expect(ignored).toHaveLength(0)
    expect(completes[0]!.payload).toEqual(new Uint8Array(64).fill(9))
  })
})
