/**
 * waku/1 in geth's admin API: `admin_nodeInfo.protocols.waku` is status-go's `NodeInfo`
 * (`{ version: '1.0', maxMessageSize, minimumPoW }`); `admin_peers[].protocols.waku` says what the
 * peer's Status (and Status Updates) said. Also `peer:ready` and `envelope:accepted` on Waku.
 */
import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import { topicFromName, topicToHex } from '@parley/envelope'
import { devp2pHost } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeId, until, waku, wakuNode } from './helpers.ts'

const T = topicToHex(topicFromName('parley-waku-admin'))

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

describe('waku/1 admin reports and events', () => {
  it('reports node and peer info, and emits peer:ready and envelope:accepted', async () => {
    const a = wakuNode('a', { minPow: 0.002, confirmationsEnabled: true })
    const b = wakuNode('b', { minPow: 0.002, topicInterest: [T] })
    nodes.push(a, b)
    await a.start()
    await b.start()
    expect(a.get(devp2pHost).nodeInfo().protocols.waku).toEqual({
      version: '1.0',
      maxMessageSize: waku(a).maxMessageSize,
      minimumPoW: 0.002,
    })
    const ready: string[] = []
    waku(a).addEventListener('peer:ready', (event) => ready.push(event.detail.peer))
    const enode = b.get(devp2pHost).enode
    if (enode === undefined) throw new Error('b is not listening')
    await a.get(devp2pHost).dial(enode)
    await until(() => ready.length === 1, 'peer:ready')
    expect(ready).toEqual([nodeId(b)])

    const ofB = a.get(devp2pHost).peerInfo()[0]?.protocols.waku
    expect(ofB).toEqual({
      version: '1.0',
      pow: 0.002,
      lightNode: false,
      trusted: false,
      bloom: null,
      topicInterest: 1,
      confirmationsEnabled: false,
    })
    await until(() => b.get(devp2pHost).peerInfo().length === 1, 'b lists a')
    await until(() => waku(b).readyPeers().length === 1, 'b accepted a')
    waku(b).markTrustedPeer(nodeId(a))
    expect(b.get(devp2pHost).peerInfo()[0]?.protocols.waku).toMatchObject({
      confirmationsEnabled: true,
      topicInterest: null,
      bloom: expect.stringMatching(/^0x[0-9a-f]{128}$/),
      trusted: true,
    })

    const accepted: string[] = []
    waku(b).addEventListener('envelope:accepted', (event) => accepted.push(event.detail.hash))
    const hash = await waku(a).post({ topic: T, payload: utf8ToBytes('hello'), ttl: 60 })
    await until(() => accepted.length === 1, 'b accepted the envelope')
    expect(accepted).toEqual([hash])
  })
})
