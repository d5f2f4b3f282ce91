/**
 * 66/WAKU2-METADATA and 34/WAKU2-PEER-EXCHANGE against js-waku: a `@waku/sdk` 0.0.27 light node
 * (`createLightNode`, whose libp2p runs `@waku/core` 0.0.31's `wakuMetadata`) dials a Parley node
 * running `wakuMetadata` and `wakuPeerExchange` over a WebSocket on 127.0.0.1.
 *
 * - Metadata both ways: js-waku's `metadata.query` reads our answer, and the query our node sends on
 *   every new connection reads js-waku's. js-waku writes `shards` one varint field per shard and
 *   Parley answers in the form the request used.
 * - A js-waku node of another cluster is disconnected by our node.
 * - js-waku's `wakuPeerExchangeDiscovery` (`@waku/discovery` 0.0.4) asks our server once identify
 *   shows the protocol, and reports the records we serve as `peer:discovery`; its protocol class
 *   decodes their shards. It cannot read a record whose port is below 256 (pinned below).
 */
import { createNode } from '@parley/core'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { addressEntries, encodeRs, encodeWaku2, enrToText, libp2pPeerId, signEnr } from '@parley/enr'
import { libp2pHost } from '@parley/interfaces'
import {
  METADATA_CODEC,
  type MetadataEvents,
  PEER_EXCHANGE_CODEC,
  type WakuMetadataService,
  type WakuPeerExchange,
  wakuMetadata,
  wakuPeerExchange,
} from '@parley/protocol-waku2-peer-exchange'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { createLightNode } from '@waku/sdk'
import { decodeRelayShard } from '@waku/utils'
import { describe, expect, it } from 'vitest'
import {
  type AnyModule,
  sdkModules,
  stopAfterTest,
  theirMultiaddr,
  theirs,
  theyHaveIdentified,
  waitFor,
} from './js-waku-support.ts'

const { secp256k1 } = await loadCrypto()

async function ourNode(clusterId: number, shards: number[]) {
  const node = createNode({
    name: 'parley-px',
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [wakuMetadata({ clusterId, shards }), wakuPeerExchange({ secp: secp256k1 })],
  })
  await node.start()
  stopAfterTest(node)
  const host = node.get(libp2pHost) as Libp2pHostService
  return {
    host,
    address: host.multiaddrs()[0] ?? '',
    metadata: node.service<WakuMetadataService>('protocol-waku2-metadata'),
    px: node.service<WakuPeerExchange>('protocol-waku2-peer-exchange'),
  }
}

async function theirNode(clusterId: number, shards: number[], peerDiscovery: unknown[] = []) {
  const node = await createLightNode({
    defaultBootstrap: false,
    networkConfig: { clusterId, shards },
    libp2p: { peerDiscovery } as never,
  })
  await node.start()
  return stopAfterTest(node)
}

/**
 * A signed Waku relay record on 127.0.0.1 (TCP only: a light node, WebSockets only, never dials it).
 * UDP 9000 as discv5 would put it.
 */
function wakuRecord(tcp: number, rs?: { cluster: number; shards: number[] }) {
  const key = generatePrivateKey()
  const entries: Array<[string, Uint8Array]> = [
    ...addressEntries({ ip: '127.0.0.1', tcp, udp: 9000 }),
    ['waku2', encodeWaku2(['relay'])],
  ]
  if (rs !== undefined) entries.push(['rs', encodeRs(rs)])
  entries.sort(([a], [b]) => (a < b ? -1 : 1))
  return {
    enr: enrToText(signEnr({ seq: 1, entries }, key, secp256k1)),
    id: libp2pPeerId(secp256k1.getPublicKey(key, true)),
  }
}

describe('js-waku metadata against Parley', () => {
  it('exchanges cluster and shards both ways and keeps the connection', async () => {
    const ours = await ourNode(16, [32, 64])
    const them = await theirNode(16, [32, 64])
    await them.libp2p.dial((await theirMultiaddr(ours.address)) as never)
    const theirId = them.libp2p.peerId.toString()
    const [ourPeerId] = them.libp2p.getPeers()
    expect(ourPeerId?.toString()).toBe(ours.host.peerId)
    // js-waku's query starts from its peer store entry, which identify fills.
    await waitFor(() => theyHaveIdentified(them.libp2p, ourPeerId, METADATA_CODEC), 'identify')

    const answer = await them.libp2p.services.metadata?.query(ourPeerId as never)
    expect(answer).toEqual({ shardInfo: { clusterId: 16, shards: [32, 64] }, error: null })
    // js-waku records it where its store, filter and lightpush look for a peer's shards.
    const peer = await them.libp2p.peerStore.get(ourPeerId as never)
    expect(decodeRelayShard(peer.metadata.get('shardInfo') as Uint8Array)).toEqual({
      clusterId: 16,
      shards: [32, 64],
    })

    await waitFor(() => ours.metadata.peerMetadata(theirId) !== undefined, 'our query on connect')
    expect(ours.metadata.peerMetadata(theirId)).toEqual({ clusterId: 16, shards: [32, 64] })
    expect(await ours.metadata.query(theirId)).toEqual({ clusterId: 16, shards: [32, 64] })
    expect(ours.host.connectedPeers()).toEqual([theirId])
  })

  it('disconnects a js-waku node of another cluster', async () => {
    const ours = await ourNode(16, [32])
    const rejected: Array<MetadataEvents['metadata:rejected']> = []
    ours.metadata.addEventListener('metadata:rejected', (event) => rejected.push(event.detail))
    const them = await theirNode(1, [0])
    await them.libp2p.dial((await theirMultiaddr(ours.address)) as never)
    const theirId = them.libp2p.peerId.toString()
    await waitFor(() => rejected.length > 0, 'the rejection')
    expect(rejected).toEqual([{ peer: theirId, reason: 'different cluster', clusterId: 1 }])
    await waitFor(() => them.libp2p.getConnections().length === 0, 'the disconnect')
  })
})

describe('js-waku peer exchange discovery against a Parley server', () => {
  it('reports the records our server hands out, with their ids and addresses', async () => {
    const ours = await ourNode(0, [0])
    const ports = [60001, 60002]
    const records = ports.map((port) => wakuRecord(port, { cluster: 0, shards: [0] }))
    for (const { enr } of records) ours.px.addRecord(enr)

    const discovery: AnyModule = await theirs(sdkModules, '@waku/discovery', 'dist/index.js')
    const them = await theirNode(0, [0], [discovery.wakuPeerExchangeDiscovery(['/waku/2/rs/0/0'])])
    const found = new Map<string, string[]>()
    them.libp2p.addEventListener('peer:discovery', (event) => {
      found.set(event.detail.id.toString(), event.detail.multiaddrs.map(String))
    })
    await them.libp2p.dial((await theirMultiaddr(ours.address)) as never)

    await waitFor(() => records.every(({ id }) => found.has(id)), 'js-waku to discover both records')
    // libp2p also reports our node, which it learned by connecting.
    expect([...found.keys()].sort()).toEqual([ours.host.peerId, ...records.map(({ id }) => id)].sort())
    found.delete(ours.host.peerId)
    expect(new Map([...found].sort())).toEqual(
      new Map(
        records
          .map(
            ({ id }, i) =>
              [
                id,
                [`/ip4/127.0.0.1/tcp/${ports[i]}/p2p/${id}`, `/ip4/127.0.0.1/udp/9000/p2p/${id}`],
              ] as const,
          )
          .sort(),
      ),
    )
  })

  it("decodes our answer's records to their ids, shards and addresses; ports below 256 break js-waku", async () => {
    const ours = await ourNode(0, [0])
    const good = wakuRecord(60001, { cluster: 16, shards: [32, 64] })
    // go-ethereum and nwaku write an ENR port as a minimal big-endian integer (one byte below 256);
    // js-waku's @waku/enr 0.0.25 reads exactly two bytes, so such a record's `peerInfo` throws, and
    // in `wakuPeerExchangeDiscovery` that throw drops the whole answer.
    const lowPort = wakuRecord(80)
    for (const { enr } of [good, lowPort]) ours.px.addRecord(enr)
    const them = await theirNode(0, [0])
    await them.libp2p.dial((await theirMultiaddr(ours.address)) as never)
    const [ourPeerId] = them.libp2p.getPeers()
    await waitFor(() => theyHaveIdentified(them.libp2p, ourPeerId, PEER_EXCHANGE_CODEC), 'identify')
    const discovery: AnyModule = await theirs(sdkModules, '@waku/discovery', 'dist/index.js')
    // The protocol class under the discovery, on the light node's own libp2p components.
    const client = discovery.wakuPeerExchange(['/waku/2/rs/0/0'])(
      (them.libp2p as unknown as { components: unknown }).components,
    )
    const { error, peerInfos } = await client.query({ numPeers: 10, peerId: ourPeerId })
    expect(error).toBeNull()
    const byId = new Map<string, AnyModule>(
      peerInfos.map((info: AnyModule) => [info.ENR.peerId.toString(), info.ENR]),
    )
    expect([...byId.keys()].sort()).toEqual([good.id, lowPort.id].sort())
    const goodEnr = byId.get(good.id)
    expect(goodEnr.shardInfo).toEqual({ clusterId: 16, shards: [32, 64] })
    expect(goodEnr.waku2).toMatchObject({ relay: true, store: false })
    expect(goodEnr.peerInfo.multiaddrs.map(String)).toContain(`/ip4/127.0.0.1/tcp/60001/p2p/${good.id}`)
    expect(() => byId.get(lowPort.id).peerInfo).toThrow(RangeError)
  })
})
