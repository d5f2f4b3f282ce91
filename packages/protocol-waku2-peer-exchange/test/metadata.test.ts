import { fakeComponents } from '@parley/compliance-tests'
import { InvalidConfigError, type Libp2pHost, libp2pHost, waku2Relay } from '@parley/interfaces'
import { lpStream } from 'it-length-prefixed-stream'
import { afterEach, describe, expect, it } from 'vitest'
import {
  encodeWakuMetadata,
  METADATA_CODEC,
  type MetadataEvents,
  readWakuMetadata,
  wakuMetadata,
} from '../src/index.ts'
import { startNode, stopAll, waitFor } from './fixtures.ts'

afterEach(stopAll)

describe('66/WAKU2-METADATA over libp2p', () => {
  it('exchanges cluster and shards on connect and keeps peers of the same cluster', async () => {
    const a = await startNode({ serve: false }, { clusterId: 16, shards: [32, 64] })
    const b = await startNode({ serve: false }, { clusterId: 16 })
    await a.host.dial(b.address)
    const idA = a.host.peerId
    const idB = b.host.peerId
    await waitFor(() => a.metadata?.peerMetadata(idB) !== undefined, 'a to learn b')
    await waitFor(() => b.metadata?.peerMetadata(idA) !== undefined, 'b to learn a')
    expect(a.metadata?.peerMetadata(idB)).toEqual({ clusterId: 16, shards: [] })
    expect(b.metadata?.peerMetadata(idA)).toEqual({ clusterId: 16, shards: [32, 64] })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(a.host.connectedPeers()).toEqual([idB])
    expect(await b.metadata?.query(idA)).toEqual({ clusterId: 16, shards: [32, 64] })
  })

  it('disconnects a peer of another cluster', async () => {
    const a = await startNode({ serve: false }, { clusterId: 16 })
    const b = await startNode({ serve: false }, { clusterId: 1 })
    const rejected: MetadataEvents['metadata:rejected'][] = []
    a.metadata?.addEventListener('metadata:rejected', (event) => rejected.push(event.detail))
    await a.host.dial(b.address)
    await waitFor(() => a.host.connectedPeers().length === 0, 'the disconnect')
    expect(rejected).toContainEqual({ peer: b.host.peerId, reason: 'different cluster', clusterId: 1 })
  })

  it('keeps peers without metadata unless disconnectOnFailure', async () => {
    const plain = await startNode({ serve: false })
    const lenient = await startNode({ serve: false }, { clusterId: 16 })
    await lenient.host.dial(plain.address)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(lenient.host.connectedPeers()).toEqual([plain.host.peerId])

    const strict = await startNode({ serve: false }, { clusterId: 16, disconnectOnFailure: true })
    await strict.host.dial(plain.address)
    await waitFor(() => strict.host.connectedPeers().length === 0, 'the strict disconnect')
  })

  it("answers in the request's shard encoding (js-waku writes and reads them unpacked, nwaku packed)", async () => {
    const server = await startNode({ serve: false }, { clusterId: 0, shards: [0, 300] })
    const client = await startNode({ serve: false })
    await client.host.dial(server.address)
    for (const packed of [false, true]) {
      const stream = await client.host.node.dialProtocol(server.host.node.peerId, METADATA_CODEC)
      const framed = lpStream(stream)
      await framed.write(encodeWakuMetadata({ clusterId: 0, shards: [0] }, { packed }))
      const answer = (await framed.read()).subarray()
      expect(Buffer.from(answer).toString('hex')).toBe(packed ? '0800120300ac02' : '0800100010ac02')
      expect(readWakuMetadata(answer)).toEqual({
        metadata: { clusterId: 0, shards: [0, 300] },
        unpacked: !packed,
      })
    }
  })

  it("announces the relay's static shards of its cluster unless shards are configured", () => {
    const relay = {
      pubsubTopics: () => ['/waku/2/rs/16/64', '/waku/2/rs/1/5', '/waku/2/rs/16/32', '/waku/2/named'],
    }
    const host = {} as Libp2pHost
    const components = fakeComponents({
      services: [
        [libp2pHost, host],
        [waku2Relay, relay],
      ],
    })
    const fromRelay = wakuMetadata({ clusterId: 16 }).create(components)
    expect(fromRelay.shards).toEqual([32, 64])
    fromRelay.shards = [7]
    expect(fromRelay.shards).toEqual([7])
    expect(wakuMetadata({ clusterId: 16, shards: [] }).create(components).shards).toEqual([])
    const noRelay = fakeComponents({ services: [[libp2pHost, host]] })
    expect(wakuMetadata({ clusterId: 16 }).create(noRelay).shards).toEqual([])
  })

  it('refuses bad options', () => {
    expect(() => wakuMetadata({ clusterId: 70000 })).toThrow(InvalidConfigError)
    expect(() => wakuMetadata({ clusterId: 1, shards: [1024] })).toThrow(InvalidConfigError)
  })
})
