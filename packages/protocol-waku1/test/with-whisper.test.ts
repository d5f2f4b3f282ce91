/** One devp2p host carrying both shh/6 and waku/1: both capabilities are negotiated and both carry messages. */
import { createNode, type ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import { topicFromName, topicToHex } from '@parley/envelope'
import {
  devp2pHost,
  privacyProtocol,
  type ReceivedMessage,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { type Whisper, whisper } from '@parley/protocol-whisper'
import { type Devp2pHostPeer, devp2p } from '@parley/transport-devp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { type Waku1, waku1 } from '../src/index.ts'
import { nodeId, pause, until } from './helpers.ts'

const T = topicToHex(topicFromName('parley-both'))

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

function bothNode(name: string): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ port: 0, clientId: name })],
    protocols: [whisper({ minPow: 0.002 }), waku1()],
  })
}

describe('whisper() and waku1() on one host', () => {
  it('negotiates shh/6 and waku/1 and carries messages on each, separately', async () => {
    const a = bothNode('a')
    const b = bothNode('b')
    nodes.push(a, b)
    await Promise.all([a.start(), b.start()])
    const shhA = a.get(whisperProtocol) as Whisper
    const shhB = b.get(whisperProtocol) as Whisper
    const wakuA = a.get(waku1Protocol) as Waku1
    const wakuB = b.get(waku1Protocol) as Waku1
    expect(
      a
        .getAll(privacyProtocol)
        .map((service) => service.protocol)
        .sort(),
    ).toEqual(['shh/6', 'waku/1'])

    const overShh: ReceivedMessage[] = []
    const overWaku: ReceivedMessage[] = []
    await shhB.subscribe({ topics: [T] }, (message) => overShh.push(message))
    await wakuB.subscribe({ topics: [T] }, (message) => overWaku.push(message))

    await a.get(devp2pHost).dial(b.get(devp2pHost).enode!)
    await until(
      () => shhA.readyPeers().includes(nodeId(b)) && wakuA.readyPeers().includes(nodeId(b)),
      'both capabilities ready on A',
    )
    await until(
      () => shhB.readyPeers().includes(nodeId(a)) && wakuB.readyPeers().includes(nodeId(a)),
      'both capabilities ready on B',
    )
    // The host's peers are Devp2pHostPeer; the interface type does not show the shared capabilities.
    const peer = a
      .get(devp2pHost)
      .peers()
      .find((p) => p.id === nodeId(b)) as Devp2pHostPeer | undefined
    const shared = peer?.capabilities.map((c) => `${c.name}/${c.version} @ 0x${c.offset.toString(16)}`)
    // Ordered by name, offsets from 0x10 by each capability's 128 codes.
    expect(shared).toEqual(['shh/6 @ 0x10', 'waku/1 @ 0x90'])

    await shhA.post({ topic: T, payload: utf8ToBytes('over whisper'), ttl: 20 })
    await wakuA.post({ topic: T, payload: utf8ToBytes('over waku'), ttl: 20 })
    await until(() => overShh.length === 1 && overWaku.length === 1, 'one message on each')
    await pause(100)
    const text = (m: ReceivedMessage) => new TextDecoder().decode(m.payload)
    expect(overShh.map(text)).toEqual(['over whisper'])
    expect(overWaku.map(text)).toEqual(['over waku'])
  })
})
