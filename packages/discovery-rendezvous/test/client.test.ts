import { fakeComponents } from '@parley/compliance-tests'
import { createNode, type ParleyNode } from '@parley/core'
import { generatePrivateKey, loadCrypto, nodeIdFromPublicKey } from '@parley/crypto'
import { decodeEnr } from '@parley/enr'
import {
  DecodeError,
  type DiscoveredPeer,
  devp2pHost,
  InvalidConfigError,
  libp2pHost,
  type NodeIdentity,
  nodeIdentity,
  type Plugin,
  peerDiscovery,
} from '@parley/interfaces'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import {
  RENDEZVOUS_PROTOCOL,
  type RendezvousDiscovery,
  type RendezvousServer,
  type RendezvousStream,
  rendezvousDiscovery,
  rendezvousServer,
} from '../src/index.ts'
import { hostWithComponents, LOOPBACK, ManualClock, stopHosts } from './helpers.ts'

const { secp256k1 } = await loadCrypto()
const running: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((node) => node.stop()))
  await stopHosts()
})

function identity(privateKey = generatePrivateKey()): Plugin<NodeIdentity> {
  const publicKey = secp256k1.getPublicKey(privateKey, false)
  return {
    name: 'identity',
    provides: [nodeIdentity],
    create: () => ({ privateKey, publicKey, nodeId: nodeIdFromPublicKey(publicKey) }),
  }
}

async function started(node: ParleyNode): Promise<ParleyNode> {
  running.push(node)
  await node.start()
  return node
}

async function serverNode(clock: ManualClock) {
  const node = await started(
    createNode({
      name: 'rendezvous',
      transports: [libp2p({ listen: LOOPBACK })],
      services: { rendezvous: rendezvousServer({ clock }) },
      logger: { level: 'silent' },
    }),
  )
  return {
    node,
    server: node.service<RendezvousServer>('rendezvous'),
    address: node.get(libp2pHost).multiaddrs()[0] as string,
  }
}

const registered = async (node: ParleyNode) =>
  Number(
    /parley_rendezvous_server_requests_total\{type="1",status="0"\} (\d+)/.exec(
      await node.metrics.expose(),
    )?.[1] ?? 0,
  )

describe('rendezvous client on loopback nodes', () => {
  it('registers a record signed with the node key, re-registers before the TTL runs out, and is found', async () => {
    const serverClock = new ManualClock()
    const { node: serverHost, server, address } = await serverNode(serverClock)
    const clock = new ManualClock()
    const whisperNode = await started(
      createNode({
        name: 'relay',
        plugins: [identity()],
        transports: [devp2p({ port: 0, host: '127.0.0.1' }), libp2p({ listen: LOOPBACK })],
        discovery: [rendezvousDiscovery({ servers: [address], register: ['whisper'], topics: [], clock })],
        logger: { level: 'silent' },
      }),
    )
    await expect.poll(() => registered(serverHost), { timeout: 10_000 }).toBe(1)
    const mobile = await started(
      createNode({
        name: 'mobile',
        transports: [libp2p({ listen: LOOPBACK })],
        discovery: [rendezvousDiscovery({ servers: [address] })],
        logger: { level: 'silent' },
      }),
    )
    const source = mobile.get(peerDiscovery) as RendezvousDiscovery
    const [found, ...others] = await source.findPeers(10)
    expect(others).toEqual([])
    const relayHost = whisperNode.get(devp2pHost)
    expect(found).toMatchObject({ id: relayHost.nodeId, enode: relayHost.enode, capabilities: ['whisper'] })
    const record = decodeEnr(found?.enr as string, secp256k1)
    expect(Buffer.from(record.publicKey).toString('hex')).toBe(
      Buffer.from(secp256k1.convertPublicKey(whisperNode.get(nodeIdentity).publicKey, true)).toString('hex'),
    )
    expect(await source.discover('whispermail')).toEqual([])

    // The record lives 10 s + 500 ms at the server; the client renews it every 5 s.
    serverClock.advance(6_000)
    clock.advance(5_000)
    await expect.poll(() => registered(serverHost), { timeout: 10_000 }).toBe(2)
    serverClock.advance(6_000)
    expect(await source.findPeers(10)).toHaveLength(1)
    expect(server.registry.size).toBe(1)

    // Stopped, the client stops renewing, and the record expires.
    await whisperNode.stop()
    clock.advance(5_000)
    serverClock.advance(5_000)
    expect(await source.findPeers(10)).toEqual([])
    expect(await registered(serverHost)).toBe(2)
    const bytes = /parley_discovery_bytes_total\{source="rendezvous",direction="in"\} (\d+)/.exec(
      await mobile.metrics.expose(),
    )
    expect(Number(bytes?.[1])).toBeGreaterThan(100)
  })

  it('searches on its own when asked to, stops while paused, and skips connected peers', async () => {
    const { address } = await serverNode(new ManualClock())
    const relay = await started(
      createNode({
        name: 'relay',
        plugins: [identity()],
        transports: [devp2p({ port: 0, host: '127.0.0.1' }), libp2p({ listen: LOOPBACK })],
        discovery: [
          rendezvousDiscovery({ servers: [address], register: ['whisper', 'whispermail'], topics: [] }),
        ],
        logger: { level: 'silent' },
      }),
    )
    const relayId = relay.get(devp2pHost).nodeId
    const clock = new ManualClock()
    const mobile = createNode({
      name: 'mobile',
      transports: [libp2p({ listen: LOOPBACK })],
      discovery: [rendezvousDiscovery({ servers: [address], discoverIntervalMs: 1000, clock })],
      logger: { level: 'silent' },
    })
    const source = mobile.get(peerDiscovery) as RendezvousDiscovery
    const announced: DiscoveredPeer[] = []
    source.addEventListener('peer:discovery', (event) => announced.push(event.detail))
    await started(mobile)
    await expect.poll(async () => (await source.findPeers(10)).length, { timeout: 10_000 }).toBe(1)
    clock.advance(0)
    await expect.poll(() => announced.length, { timeout: 10_000 }).toBe(1)
    expect(announced[0]).toMatchObject({ id: relayId })
    expect(announced[0]?.capabilities?.sort()).toEqual(['whisper', 'whispermail'])

    source.pause()
    expect(clock.pending).toBe(0)
    clock.advance(10_000)
    source.markConnected(relayId)
    source.resume()
    clock.advance(0)
    // A connected peer is found but not announced; once it drops it is announced again.
    await expect.poll(() => clock.pending, { timeout: 10_000 }).toBe(1)
    expect(announced).toHaveLength(1)
    source.markDisconnected(relayId)
    clock.advance(1000)
    await expect.poll(() => announced.length, { timeout: 10_000 }).toBe(2)
  })

  it('advertises the IP the server sees when devp2p listens on 0.0.0.0', async () => {
    const { address } = await serverNode(new ManualClock())
    const relay = await started(
      createNode({
        name: 'relay',
        plugins: [identity()],
        transports: [devp2p({ port: 0, host: '0.0.0.0' }), libp2p({ listen: LOOPBACK })],
        discovery: [rendezvousDiscovery({ servers: [address], topics: [] })],
        logger: { level: 'silent' },
      }),
    )
    const client = relay.get(peerDiscovery) as RendezvousDiscovery
    await client.register('whisper')
    const [found] = await client.discover('whisper')
    const port = relay.get(devp2pHost).enode?.split(':').at(-1)
    expect(found).toBeUndefined() // a node does not find itself…
    const other = await started(
      createNode({
        name: 'mobile',
        transports: [libp2p({ listen: LOOPBACK })],
        discovery: [rendezvousDiscovery({ servers: [address] })],
        logger: { level: 'silent' },
      }),
    )
    const [seen] = await other.get(peerDiscovery).findPeers(10)
    expect(seen?.enode).toBe(`enode://${relay.get(devp2pHost).nodeId}@127.0.0.1:${port}`) // …others do
  })

  it('fails with DecodeError on a server that answers garbage or too much, and keeps running', async () => {
    const { host: bad, address } = await hostWithComponents()
    let answer = Uint8Array.of(0xff, 0x00)
    await bad.handle(RENDEZVOUS_PROTOCOL, async (stream) => {
      const s = stream as RendezvousStream
      await s.sink([answer])
    })
    const mobile = await started(
      createNode({
        name: 'mobile',
        transports: [libp2p({ listen: LOOPBACK })],
        discovery: [rendezvousDiscovery({ servers: [address] })],
        logger: { level: 'silent' },
      }),
    )
    const client = mobile.get(peerDiscovery) as RendezvousDiscovery
    await expect(client.discover('whisper')).rejects.toBeInstanceOf(DecodeError)
    // A 1 MiB "response": refused from its header, not buffered.
    answer = Uint8Array.from([0x04, 0xfa, 0x10, 0x00, 0x00, ...new Uint8Array(1 << 20)])
    await expect(client.discover('whisper')).rejects.toThrow(/over 65536 bytes/)
    await expect(client.findPeers(10)).rejects.toBeInstanceOf(DecodeError)
    expect(client.isStarted()).toBe(true)
  })

  it('refuses configurations that cannot work', () => {
    expect(() => rendezvousDiscovery({ servers: [] })).toThrow(InvalidConfigError)
    expect(() => rendezvousDiscovery({ servers: ['/ip4/127.0.0.1/tcp/1'] })).toThrow(/p2p/)
    expect(() => rendezvousDiscovery({ servers: ['/ip4/127.0.0.1/tcp/1/p2p/x'], ttlMs: 20_001 })).toThrow(
      /ttlMs/,
    )
    expect(() => rendezvousDiscovery({ servers: ['/ip4/127.0.0.1/tcp/1/p2p/x'], topics: [''] })).toThrow(
      /topic/,
    )
    const plugin = rendezvousDiscovery({ servers: ['/ip4/127.0.0.1/tcp/1/p2p/x'], register: ['whisper'] })
    expect(() => plugin.create(fakeComponents({ stubs: [libp2pHost] }))).toThrow(/register needs/)
  })
})
