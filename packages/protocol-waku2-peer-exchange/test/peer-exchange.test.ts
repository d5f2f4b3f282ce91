import { decodeEnr, decodeEnrContent, enrToText, libp2pPeerId } from '@parley/enr'
import { InvalidParametersError, NotFoundError, NotStartedError, type ParleyEvents } from '@parley/interfaces'
import { lpStream } from 'it-length-prefixed-stream'
import { afterEach, describe, expect, it } from 'vitest'
import {
  decodePeerExchangeResponse,
  MAX_PEERS_CACHE_SIZE,
  PEER_EXCHANGE_CODEC,
  PeerExchangeError,
  PeerExchangeStatus,
  REQUEST_TIMEOUT_MS,
} from '../src/index.ts'
import { discover, secp, startNode, stopAll, waitFor, wakuRecord } from './fixtures.ts'

afterEach(stopAll)

const idOf = (record: string) => libp2pPeerId(decodeEnr(record, secp).publicKey)

describe('34/WAKU2-PEER-EXCHANGE over libp2p', () => {
  it('serves records found by discv5 and the client reports them as peers', async () => {
    const server = await startNode()
    const records = Array.from({ length: 8 }, (_, i) => wakuRecord({ ip: `10.0.0.${i + 1}`, tcp: 30000 + i }))
    discover(server, records)
    discover(server, [wakuRecord()], 'dns') // not a discv5 result: not served
    expect(server.px.cachedRecords).toBe(8)

    const client = await startNode({ serve: false })
    const reported: ParleyEvents['peer:discovery'][] = []
    client.components.events.addEventListener('peer:discovery', (event) => reported.push(event.detail))
    const peers = await client.px.request(server.address, 5)
    expect(peers).toHaveLength(5)
    const ids = new Set(records.map(idOf))
    for (const peer of peers) {
      expect(ids.has(peer.id)).toBe(true)
      expect(peer.capabilities).toEqual(['waku2:relay'])
      expect(peer.multiaddrs?.[0]).toMatch(new RegExp(`^/ip4/10\\.0\\.0\\.\\d/tcp/3000\\d/p2p/${peer.id}$`))
    }
    expect(reported.map((event) => event.id)).toEqual(peers.map((peer) => peer.id))
    expect(reported.every((event) => event.source === 'peer-exchange' && event.overlay === 'libp2p')).toBe(
      true,
    )
    expect(
      server.components.recorded.get('parley_waku2_peer_exchange_responses_total{status_code="200"}'),
    ).toBe(1)
    expect(server.components.recorded.get('parley_waku2_peer_exchange_peers_sent_total')).toBe(5)
    expect(client.components.recorded.get('parley_waku2_peer_exchange_peers_received_total')).toBe(5)

    // findPeers asks connected peers whose identify listed the protocol; identify runs alongside
    // the request on the new connection, so wait until it has landed.
    await expect
      .poll(
        async () =>
          (await client.host.peerInfo()).some(
            ({ id, protocols }) => id === server.host.peerId && protocols.includes(PEER_EXCHANGE_CODEC),
          ),
        { timeout: 10_000 },
      )
      .toBe(true)
    const found = await client.px.findPeers(8)
    expect(found.length).toBeGreaterThan(5)
    expect(found.every((peer) => ids.has(peer.id))).toBe(true)
  })

  it('caps a response at 60 records and skips records of another cluster', async () => {
    const server = await startNode({ cacheSize: 100, clusterId: 16 })
    discover(
      server,
      Array.from({ length: 70 }, () => wakuRecord({ cluster: 16 })),
    )
    discover(
      server,
      Array.from({ length: 5 }, () => wakuRecord({ cluster: 1 })),
    )
    const client = await startNode({ serve: false })
    const peers = await client.px.request(server.address, 60)
    expect(peers).toHaveLength(MAX_PEERS_CACHE_SIZE)
    for (const peer of peers) expect(decodeEnrContent(peer.enr ?? '').entries.has('rs')).toBe(true)
    const all = await client.px.request(server.address, 60)
    const clusters = all.map((peer) => decodeEnrContent(peer.enr ?? '').entries.get('rs'))
    expect(clusters.every((rs) => rs instanceof Uint8Array && rs[0] === 0 && rs[1] === 16)).toBe(true)

    // A client of cluster 1 drops the cluster-16 records it is sent.
    const other = await startNode({ serve: false, clusterId: 1 })
    expect(await other.px.request(server.address, 10)).toEqual([])
  })

  it('answers TOO_MANY_REQUESTS over the rate limit and BAD_REQUEST to garbage', async () => {
    const server = await startNode({ rateLimit: { requests: 1, periodMs: 60_000 } })
    discover(server, [wakuRecord()])
    const client = await startNode({ serve: false })
    expect(await client.px.request(server.address, 1)).toHaveLength(1)
    const refused = await client.px.request(server.address, 1).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(PeerExchangeError)
    expect((refused as PeerExchangeError).statusCode).toBe(PeerExchangeStatus.TOO_MANY_REQUESTS)

    const open = await startNode()
    await client.host.dial(open.address)
    const stream = await client.host.node.dialProtocol(open.host.node.peerId, PEER_EXCHANGE_CODEC)
    const framed = lpStream(stream)
    await framed.write(Uint8Array.of(0x0a, 0x05, 0x08)) // a request field longer than its body
    const answer = decodePeerExchangeResponse((await framed.read()).subarray())
    expect(answer.status).toBe(PeerExchangeStatus.BAD_REQUEST)
    expect(answer.enrs).toEqual([])
  })

  it('drops records whose signature does not verify', async () => {
    const server = await startNode()
    const good = wakuRecord()
    const forged = decodeEnrContent(wakuRecord()).bytes.slice()
    forged[5] = forged[5]! ^ 0xff // inside the signature
    server.px.addRecord(good)
    expect(server.px.addRecord(forged)).toBe(true)
    const client = await startNode({ serve: false })
    const peers = await client.px.request(server.address, 5)
    expect(peers.map((peer) => peer.enr)).toEqual([enrToText(decodeEnr(good, secp))])
    expect(client.components.recorded.get('parley_waku2_peer_exchange_errors_total{type="bad_record"}')).toBe(
      1,
    )
  })

  it('asks in the background when queryIntervalMs is set', async () => {
    const server = await startNode()
    discover(server, [wakuRecord(), wakuRecord()])
    const client = await startNode({ serve: false, servicePeers: [server.address], queryIntervalMs: 50 })
    await waitFor(() => client.px.peers.length === 2, 'the background request')
  })

  it('gives up on a silent service when its signal fires', async () => {
    const silent = await startNode({ serve: false })
    await silent.host.handle(PEER_EXCHANGE_CODEC, () => new Promise(() => {}))
    const client = await startNode({ serve: false })
    const started = Date.now()
    await expect(client.px.request(silent.address, 1, { signal: AbortSignal.timeout(200) })).rejects.toThrow()
    // the caller's signal ended it, not the 10 s timeout a request without a signal gets
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS)
  })

  it('checks its arguments and its state', async () => {
    const client = await startNode({ serve: false })
    await expect(client.px.request('not-a-peer', 1)).rejects.toThrow(NotFoundError)
    await expect(client.px.request('/ip4/127.0.0.1/tcp/1/p2p/x', 0)).rejects.toThrow(InvalidParametersError)
    await expect(client.px.findPeers(-1)).rejects.toThrow(InvalidParametersError)
    await client.px.stop()
    await expect(client.px.findPeers(1)).rejects.toThrow(NotStartedError)
  })
})
