import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import { topicFromName, topicToHex } from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import type { Waku1Init } from '../src/index.ts'
import { connect, envelopesCounted, nodeId, pause, until, waku, wakuNode } from './helpers.ts'

const T1 = topicToHex(topicFromName('parley-waku-one'))
const T2 = topicToHex(topicFromName('parley-waku-two'))
const text = (message: ReceivedMessage) => new TextDecoder().decode(message.payload)

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

async function started(...inits: Array<[string, Waku1Init?]>): Promise<ParleyNode[]> {
  const made = inits.map(([name, init]) => wakuNode(name, init))
  nodes.push(...made)
  await Promise.all(made.map((node) => node.start()))
  return made
}

async function inbox(node: ParleyNode, topics: string[]): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = []
  await waku(node).subscribe({ topics }, (message) => got.push(message))
  return got
}

describe('waku/1 between Parley nodes', () => {
  it('delivers a post exactly once, with payload, hash, topic and sender', async () => {
    const [a, b] = await started(['a'], ['b'])
    const got = await inbox(b!, [T1])
    await connect(a!, b!)
    const hash = await waku(a!).post({ topic: T1, payload: utf8ToBytes('hello'), ttl: 20 })
    await until(() => got.length === 1, 'B received it')
    await pause(100)
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ topic: T1, hash, ttl: 20, from: nodeId(a!) })
    expect(text(got[0]!)).toBe('hello')
    expect(await envelopesCounted(b!, 'accepted')).toBe(1)
  })

  it('relays A → B → C, and C gets it once', async () => {
    const [a, b, c] = await started(['a'], ['b'], ['c'])
    const got = await inbox(c!, [T1])
    await connect(a!, b!)
    await connect(b!, c!)
    await connect(a!, c!) // a second path, so a duplicate arrives
    await waku(a!).post({ topic: T1, payload: utf8ToBytes('relayed'), ttl: 20 })
    await until(() => got.length === 1, 'C received it')
    await pause(150)
    expect(got.map(text)).toEqual(['relayed'])
  })

  it('sends a peer only the topics of its topic interest', async () => {
    const [a, b] = await started(['a'], ['b', { topicInterest: [T2] }])
    const seen: string[] = []
    b!.events.addEventListener('envelope:received', (event) => seen.push(event.detail.topic))
    await connect(a!, b!)
    await waku(a!).post({ topic: T1, payload: utf8ToBytes('not for b'), ttl: 20 })
    await waku(a!).post({ topic: T2, payload: utf8ToBytes('for b'), ttl: 20 })
    await until(() => seen.includes(T2), 'B got T2')
    await pause(150)
    expect(seen).toEqual([T2])
    // Nothing was rejected: A never sent T1, rather than B dropping it.
    expect(await envelopesCounted(b!, 'topic-mismatch')).toBe(0)
    expect(waku(b!).topicInterest).toEqual([T2])
  })

  it('follows a Status Update: a new topic interest changes what the peer receives', async () => {
    const [a, b] = await started(['a'], ['b', { topicInterest: [T2] }])
    const got = await inbox(b!, [T1, T2])
    await connect(a!, b!)
    await waku(a!).post({ topic: T1, payload: utf8ToBytes('before'), ttl: 20 })
    await pause(150)
    expect(got).toHaveLength(0)
    await waku(b!).setTopicInterest([T1])
    // The pool's T1 envelope goes out once A applies the update, and so do new ones.
    await until(() => got.length === 1, 'B got the pooled T1 envelope')
    await waku(a!).post({ topic: T2, payload: utf8ToBytes('t2 now unwanted'), ttl: 20 })
    await waku(a!).post({ topic: T1, payload: utf8ToBytes('after'), ttl: 20 })
    await until(() => got.length === 2, 'B got the new T1 envelope')
    await pause(150)
    expect(got.map(text)).toEqual(['before', 'after'])
  })

  it('a light node relays only its own envelopes', async () => {
    const [a, b, c] = await started(['a'], ['light', { lightNode: true }], ['c'])
    const got = await inbox(c!, [T1])
    const atLight = await inbox(b!, [T1])
    await connect(a!, b!)
    await connect(b!, c!)
    await waku(a!).post({ topic: T1, payload: utf8ToBytes('from a'), ttl: 20 })
    await until(() => atLight.length === 1, 'the light node received it')
    await waku(b!).post({ topic: T1, payload: utf8ToBytes('from light'), ttl: 20 })
    await until(() => got.length === 1, 'C got the light node’s own post')
    await pause(150)
    expect(got.map(text)).toEqual(['from light'])
  })
})
