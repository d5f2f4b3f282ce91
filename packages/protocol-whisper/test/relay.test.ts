import type { ParleyNode } from '@parley/core'
import { bytesToHex, equalBytes, utf8ToBytes } from '@parley/crypto'
import { topicFromName, topicToBloom, topicToHex } from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, nodeId, pause, shh, until, whisperNode } from './helpers.ts'

const T = topicToHex(topicFromName('parley-test-t'))
const U = topicToHex(topicFromName('parley-test-u'))

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

async function started(...made: ParleyNode[]): Promise<ParleyNode[]> {
  nodes.push(...made)
  for (const node of made) await node.start()
  return made
}

function inbox(node: ParleyNode, topic: string): ReceivedMessage[] {
  const got: ReceivedMessage[] = []
  void shh(node).subscribe({ topics: [topic] }, (message) => got.push(message))
  return got
}

describe('whisper over loopback devp2p', () => {
  it('delivers a posted envelope to a subscribed peer exactly once, payload intact', async () => {
    const [a, b] = await started(whisperNode('a'), whisperNode('b'))
    await connect(a!, b!)
    const got = inbox(b!, T)
    const events: ReceivedMessage[] = []
    shh(b!).addEventListener('message:received', (event) => events.push(event.detail))
    const payload = utf8ToBytes('hello over shh/6')
    const hash = await shh(a!).post({ topic: T, payload, ttl: 20 })
    await until(() => got.length > 0, 'B received the envelope')
    await pause(150)
    expect(got).toHaveLength(1)
    expect(events).toHaveLength(1)
    const [message] = got
    expect(equalBytes(message!.payload, payload)).toBe(true)
    expect(message!.hash).toBe(hash)
    expect(message!.topic).toBe(T)
    expect(message!.ttl).toBe(20)
    expect(message!.from).toBe(nodeId(a!))
    expect(message!.pow).toBeGreaterThanOrEqual(0.002)
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/)
  })

  it('relays A → B → C, and C gets it once although B also knows A', async () => {
    const [a, b, c] = await started(whisperNode('a'), whisperNode('b'), whisperNode('c'))
    await connect(a!, b!)
    await connect(b!, c!)
    const atC = inbox(c!, T)
    const atA = inbox(a!, T)
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)
    const hash = await shh(a!).post({ topic: T, payload })
    await until(() => atC.length > 0, 'C received the relayed envelope')
    await pause(150)
    expect(atC).toHaveLength(1)
    expect(atC[0]!.from).toBe(nodeId(b!))
    expect(atC[0]!.hash).toBe(hash)
    expect(bytesToHex(atC[0]!.payload)).toBe(bytesToHex(payload))
    // go-ethereum delivers our own posts to our own filters, once, and B does not echo it back.
    expect(atA).toHaveLength(1)
  })

  it('does not send an envelope to a peer whose bloom filter excludes its topic', async () => {
    const [a, b, c] = await started(
      whisperNode('a'),
      whisperNode('b'),
      whisperNode('c', { bloom: topicToBloom(hexBytes(U)) }),
    )
    await connect(a!, b!)
    await connect(a!, c!)
    let seenByC = 0
    c!.events.addEventListener('envelope:received', () => seenByC++)
    const atB = inbox(b!, T)
    const atC = inbox(c!, U)
    await shh(a!).post({ topic: T, payload: utf8ToBytes('not for c') })
    await until(() => atB.length === 1, 'B received T')
    await pause(150)
    expect(seenByC).toBe(0)
    // Control: a topic inside C's bloom does reach it over the same connection.
    await shh(a!).post({ topic: U, payload: utf8ToBytes('for c') })
    await until(() => atC.length === 1, 'C received U')
    expect(seenByC).toBe(1)
  })

  it('sends the pool to a peer that connects later, while the envelopes live', async () => {
    const [a, b] = await started(whisperNode('a'), whisperNode('b'))
    const hash = await shh(a!).post({ topic: T, payload: utf8ToBytes('early'), ttl: 30 })
    const got = inbox(b!, T)
    await connect(a!, b!)
    await until(() => got.length === 1, 'B received the pooled envelope')
    expect(got[0]!.hash).toBe(hash)
  })

  it('offers a later peer nothing that expired but was not swept yet (a trusting peer would take it)', async () => {
    let clock = Math.floor(Date.now() / 1000)
    const [a, b] = await started(whisperNode('a', { now: () => clock }), whisperNode('b'))
    await shh(a!).post({ topic: T, payload: utf8ToBytes('stale'), ttl: 10 })
    shh(b!).markTrustedPeer(nodeId(a!)) // it would deliver A's expired envelopes, as history
    const got: ReceivedMessage[] = []
    await shh(b!).subscribe({ topics: [T], allowP2P: true }, (message) => got.push(message))
    clock += 20 // expired for A now, before its next sweep
    await connect(a!, b!)
    await pause(100)
    expect(got).toEqual([])
  })

  it('a throwing handler or listener neither stops the others nor the node; unsubscribe stops delivery', async () => {
    const [a, b] = await started(whisperNode('a'), whisperNode('b'))
    await connect(a!, b!)
    const thrower = await shh(b!).subscribe({ topics: [T] }, () => {
      throw new Error('handler bug')
    })
    shh(b!).addEventListener('message:received', () => {
      throw new Error('listener bug')
    })
    const got = inbox(b!, T)
    await shh(a!).post({ topic: T, payload: utf8ToBytes('one') })
    await until(() => got.length === 1, 'the healthy handler got it')
    await thrower.unsubscribe()
    const sub = await shh(b!).subscribe({ topics: [T] }, () => {})
    await sub.unsubscribe()
    await shh(a!).post({ topic: T, payload: utf8ToBytes('two') })
    await until(() => got.length === 2, 'the node kept going')
    expect(shh(b!).readyPeers()).toEqual([nodeId(a!)])
  })

  it('a light node relays nothing but its own posts', async () => {
    const [a, b, c] = await started(whisperNode('a'), whisperNode('b', { lightNode: true }), whisperNode('c'))
    await connect(a!, b!)
    await connect(b!, c!)
    const atB = inbox(b!, T)
    const atC = inbox(c!, T)
    await shh(a!).post({ topic: T, payload: utf8ToBytes('from a') })
    await until(() => atB.length === 1, 'B received from A')
    await pause(150)
    expect(atC).toHaveLength(0)
    await shh(b!).post({ topic: T, payload: utf8ToBytes('from b') })
    await until(() => atC.length === 1, "C received B's own post")
  })
})

function hexBytes(topic: string): Uint8Array {
  return Uint8Array.from(topic.slice(2).match(/../g)!, (pair) => Number.parseInt(pair, 16))
}
