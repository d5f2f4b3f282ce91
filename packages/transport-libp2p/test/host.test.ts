import { fakeComponents } from '@parley/compliance-tests'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { libp2pPeerId } from '@parley/enr'
import type { PeerEventDetail } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { type Libp2pHostService, type Libp2pMuxer, libp2p, peerIdFromSecp256k1 } from '../src/index.ts'

const LOOPBACK = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws']
const ECHO = '/parley/echo/1.0.0'

interface EchoStream {
  source: AsyncIterable<{ subarray(): Uint8Array }>
  sink(source: AsyncIterable<Uint8Array | { subarray(): Uint8Array }> | Iterable<Uint8Array>): Promise<void>
}

const running: Libp2pHostService[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((host) => host.stop()))
})

async function startHost(privateKey = generatePrivateKey(), muxers?: Libp2pMuxer[]) {
  const components = fakeComponents()
  const host = libp2p({ listen: LOOPBACK, privateKey, ...(muxers ? { muxers } : {}) }).create(components)
  running.push(host)
  await host.start()
  return { host, components, privateKey }
}

function address(host: Libp2pHostService, ws: boolean): string {
  const found = host.multiaddrs().find((a) => a.includes('/ws') === ws)
  if (found === undefined) throw new Error(`no ${ws ? 'ws' : 'tcp'} address in ${host.multiaddrs()}`)
  return found
}

describe('libp2p host', () => {
  it('has the 16Uiu2 peer id nwaku derives from the same secp256k1 key', async () => {
    const { host, privateKey } = await startHost()
    expect(host.peerId).toMatch(/^16Uiu2HA/)
    expect(host.peerId).toBe(peerIdFromSecp256k1(privateKey))
    const { secp256k1 } = await loadCrypto()
    expect(host.peerId).toBe(libp2pPeerId(secp256k1.getPublicKey(privateKey, true)))
    for (const a of host.multiaddrs()) expect(a).toMatch(new RegExp(`/p2p/${host.peerId}$`))
  })

  for (const ws of [false, true]) {
    it(`dials over ${ws ? 'WebSocket' : 'TCP'}, completes identify, pings and echoes a custom protocol`, async () => {
      const a = await startHost()
      const b = await startHost()
      const remotes: string[] = []
      await b.host.handle(ECHO, async (stream, remotePeer) => {
        remotes.push(remotePeer)
        const s = stream as EchoStream
        await s.sink(s.source)
      })
      const connected = new Promise<PeerEventDetail>((resolve) =>
        a.components.events.addEventListener('peer:connect', (e) => resolve(e.detail), { once: true }),
      )
      const identified = new Promise<string[]>((resolve) =>
        a.host.node.addEventListener('peer:identify', (e) => resolve(e.detail.protocols), { once: true }),
      )
      await a.host.dial(address(b.host, ws))
      expect(await connected).toEqual({ id: b.host.peerId, overlay: 'libp2p' })
      expect(a.host.connectedPeers()).toEqual([b.host.peerId])
      expect(await identified).toContain(ECHO)
      expect(a.components.recorded.get('parley_libp2p_peers')).toBe(1)
      const [connection] = a.host.node.getConnections(b.host.node.peerId)
      expect(connection?.remoteAddr.toString().includes('/ws')).toBe(ws)
      expect(connection?.multiplexer).toBe('/yamux/1.0.0')

      const rtt = await a.host.node.services.ping.ping(b.host.node.peerId)
      expect(rtt).toBeGreaterThanOrEqual(0)

      const stream = await a.host.node.dialProtocol(b.host.node.peerId, ECHO)
      const sent = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])]
      const received: number[] = []
      await Promise.all([
        stream.sink(sent),
        (async () => {
          for await (const chunk of stream.source) received.push(...chunk.subarray())
        })(),
      ])
      expect(received).toEqual([1, 2, 3, 4, 5])
      expect(remotes).toEqual([a.host.peerId])
      const echoBytes = (direction: string) =>
        `parley_libp2p_protocol_bytes_total{protocol="${ECHO}",direction="${direction}"}`
      expect(a.components.recorded.get(echoBytes('out'))).toBe(5)
      expect(a.components.recorded.get(echoBytes('in'))).toBe(5)
      expect(b.components.recorded.get(echoBytes('in'))).toBe(5)
      expect(b.components.recorded.get(echoBytes('out'))).toBe(5)

      const gone = new Promise<PeerEventDetail>((resolve) =>
        a.components.events.addEventListener('peer:disconnect', (e) => resolve(e.detail), { once: true }),
      )
      const bId = b.host.peerId
      await b.host.stop()
      expect(await gone).toMatchObject({ id: bId, overlay: 'libp2p' })
      expect(b.components.recorded.get('parley_libp2p_peer_disconnects_total')).toBe(1)
      expect(a.host.connectedPeers()).toEqual([])
    })
  }

  it('falls back to mplex with a peer that offers nothing else', async () => {
    const a = await startHost(generatePrivateKey(), ['mplex'])
    const b = await startHost()
    await a.host.dial(address(b.host, false))
    const [connection] = a.host.node.getConnections(b.host.node.peerId)
    expect(connection?.multiplexer).toBe('/mplex/6.7.0')
    expect(await a.host.node.services.ping.ping(b.host.node.peerId)).toBeGreaterThanOrEqual(0)
  })

  it('keeps handlers across restarts and drops them on unhandle', async () => {
    const a = await startHost()
    const b = await startHost()
    await b.host.handle(ECHO, async (stream) => {
      const s = stream as EchoStream
      await s.sink(s.source)
    })
    await b.host.stop()
    await b.host.start()
    expect(b.host.node.getProtocols()).toContain(ECHO)
    await b.host.unhandle(ECHO)
    expect(b.host.node.getProtocols()).not.toContain(ECHO)
    await a.host.dial(address(b.host, false))
    await expect(a.host.node.dialProtocol(b.host.node.peerId, ECHO)).rejects.toThrow()
  })

  it('builds contributed services into every node it creates, and only before start', async () => {
    const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
    running.push(host)
    const built: unknown[] = []
    host.addService('probe', () => {
      const service = { started: false, start: () => void 0, stop: () => void 0 }
      built.push(service)
      return service
    })
    expect(() => host.addService('probe', () => ({}))).toThrow(/already registered/)
    expect(() => host.addService('identify', () => ({}))).toThrow(/already registered/)
    await host.start()
    expect(host.node.services.probe).toBe(built[0])
    expect(() => host.addService('late', () => ({}))).toThrow(
      expect.objectContaining({ name: 'InvalidParametersError' }),
    )
    await host.stop()
    await host.start()
    expect(built).toHaveLength(2)
    expect(host.node.services.probe).toBe(built[1])
  })

  it('rejects a dial that is not a multiaddr, and an aborted dial', async () => {
    const { host } = await startHost()
    await expect(host.dial('enode://nope')).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(host.dial('/ip4/127.0.0.1/tcp/9', { signal: AbortSignal.abort() })).rejects.toThrow()
  })

  it('dialProtocol reaches a peer by multiaddr, then by id; handlers learn the remote address', async () => {
    const a = await startHost()
    const b = await startHost()
    const seen: Array<{ peer: string; remoteAddr: string }> = []
    await b.host.handle(ECHO, async (stream, peer, { remoteAddr }) => {
      seen.push({ peer, remoteAddr })
      const s = stream as EchoStream
      await s.sink(s.source)
    })
    const echo = async (peer: string) => {
      const stream = await a.host.dialProtocol(peer, [ECHO])
      expect(stream.protocol).toBe(ECHO)
      const received: number[] = []
      await Promise.all([
        stream.sink([new Uint8Array([7])]),
        (async () => {
          for await (const chunk of stream.source) received.push(...chunk.subarray())
        })(),
      ])
      return received
    }
    expect(await echo(address(b.host, false))).toEqual([7])
    expect(await echo(b.host.peerId)).toEqual([7])
    expect(seen.map(({ peer }) => peer)).toEqual([a.host.peerId, a.host.peerId])
    const [info] = await b.host.peerInfo()
    expect(info?.id).toBe(a.host.peerId)
    expect(info?.addresses).toEqual([seen[0]?.remoteAddr])
    expect(info?.protocols).toContain('/ipfs/id/1.0.0')
    expect(seen[0]?.remoteAddr).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+(/p2p/${a.host.peerId})?$`))
    await expect(a.host.dialProtocol('/ip4/127.0.0.1/tcp/1', ECHO)).rejects.toMatchObject({
      name: 'InvalidParametersError',
    })
    await expect(a.host.dialProtocol('not-a-peer', ECHO)).rejects.toMatchObject({
      name: 'InvalidParametersError',
    })
    await expect(
      a.host.dialProtocol(b.host.peerId, ECHO, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    })
  })
})
