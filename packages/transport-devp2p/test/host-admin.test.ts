import { once } from 'node:events'
import { createServer } from 'node:net'
import { fakeComponents } from '@parley/compliance-tests'
import { InvalidParametersError, NotStartedError } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { type Devp2pHostService, DISCONNECT_REASONS, devp2p } from '../src/index.ts'
import { enodeOf, type TestHost, testHost, until } from './host-helpers.ts'

const hosts: Array<{ service: Devp2pHostService }> = []

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.service.stop()))
})

async function started<T extends { service: Devp2pHostService }>(...made: T[]): Promise<void> {
  hosts.push(...made)
  await Promise.all(made.map((host) => host.service.start()))
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A host whose `rep/2` capability reports admin info: the peer's id prefix, or nothing. */
function reportingHost(clientId: string, peerInfo: boolean): { service: Devp2pHostService } {
  const service = devp2p({ port: 0, clientId }).create(fakeComponents())
  service.registerCapability({
    name: 'rep',
    version: 2,
    length: 16,
    onPeerConnect: () => undefined,
    onMessage: () => undefined,
    onPeerDisconnect: () => undefined,
    info: (peer) => (peerInfo ? { seen: peer.id.slice(0, 8) } : undefined),
    nodeInfo: () => ({ version: 2, pow: 0.2 }),
  })
  service.registerCapability({
    name: 'bare',
    version: 1,
    length: 16,
    onPeerConnect: () => undefined,
    onMessage: () => undefined,
    onPeerDisconnect: () => undefined,
  })
  return { service }
}

describe('Devp2pHost admin members', () => {
  it('addPeer dials now and redials when dropped; removePeer forgets and disconnects', async () => {
    const b = testHost({ port: await freePort() })
    const a = testHost({ redialDelay: { initialMs: 20, maxMs: 50 } })
    await started(a, b)
    a.service.addPeer(enodeOf(b))
    await until(() => a.service.peers().length === 1 && b.service.peers().length === 1, 'added peer dialled')
    expect(a.service.peerInfo()[0]?.network.static).toBe(true)

    await b.service.stop()
    await until(() => a.service.peers().length === 0, 'A sees B leave')
    await b.service.start()
    await until(() => a.service.peers().length === 1, 'A redialled the added peer')
    await until(() => b.service.peers().length === 1, 'B admitted A')

    expect(a.service.removePeer(enodeOf(b))).toBe(true)
    await until(() => b.service.peers().length === 0, 'removed peer disconnected')
    expect(b.disconnected.at(-1)?.reason).toBe(DISCONNECT_REASONS.requested)
    // No longer static: no redial comes.
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(a.service.peers()).toEqual([])
    expect(a.service.removePeer(enodeOf(b))).toBe(false)
  })

  it('removePeer disconnects a peer that was only dialled, and rejects bad URLs', async () => {
    const a = testHost()
    const b = testHost()
    await started(a, b)
    await a.service.dial(enodeOf(b))
    await until(() => b.service.peers().length === 1)
    expect(b.service.removePeer(enodeOf(a).replace(/:\d+$/, ':1'))).toBe(true)
    await until(() => a.service.peers().length === 0, 'dialled peer disconnected by the other side')
    expect(() => a.service.removePeer('enode://nope')).toThrow(InvalidParametersError)
    expect(() => a.service.addPeer('http://127.0.0.1:1')).toThrow(InvalidParametersError)
    expect(() => a.service.addPeer(enodeOf(a))).toThrow(InvalidParametersError)
  })

  it('a peer added before start is dialled at start', async () => {
    const b = testHost()
    await started(b)
    const a = testHost()
    a.service.addPeer(enodeOf(b))
    await started(a)
    await until(() => a.service.peers().length === 1, 'dialled at start')
  })

  it("peerInfo and nodeInfo take go-ethereum's admin shapes", async () => {
    const a = reportingHost('parley/a', true)
    const b = reportingHost('parley/b', false)
    expect(() => a.service.nodeInfo()).toThrow(NotStartedError)
    await started(a, b)
    await a.service.dial(b.service.enode as string)
    await until(() => b.service.peers().length === 1)

    const [ofB] = a.service.peerInfo()
    const bPort = Number(new URL(b.service.enode as string).port)
    expect(ofB).toMatchObject({
      id: b.service.nodeId,
      name: 'parley/b',
      enode: b.service.enode,
      caps: ['bare/1', 'rep/2'],
      network: { remoteAddress: `127.0.0.1:${bPort}`, inbound: false, trusted: false, static: false },
      protocols: { rep: { seen: b.service.nodeId.slice(0, 8) }, bare: 'unknown' },
    })
    expect(ofB?.network.localAddress).toMatch(/^127\.0\.0\.1:\d+$/)

    const [ofA] = b.service.peerInfo()
    expect(ofA?.network.inbound).toBe(true)
    expect(ofA?.network.remoteAddress).toBe(ofB?.network.localAddress)
    expect(ofA?.enode).toBe(`enode://${a.service.nodeId}@${ofB?.network.localAddress}`)
    expect(ofA?.protocols).toEqual({ rep: 'handshake', bare: 'unknown' })

    const aPort = Number(new URL(a.service.enode as string).port)
    expect(a.service.nodeInfo()).toEqual({
      id: a.service.nodeId,
      name: 'parley/a',
      enode: a.service.enode,
      ip: '127.0.0.1',
      ports: { discovery: aPort, listener: aPort },
      listenAddr: `127.0.0.1:${aPort}`,
      protocols: { rep: { version: 2, pow: 0.2 }, bare: 'unknown' },
    })
  })

  it('a reporter that throws shows "unknown" instead of breaking the admin API', async () => {
    const host: TestHost = testHost()
    host.service.registerCapability({
      name: 'bad',
      version: 1,
      length: 1,
      onPeerConnect: () => undefined,
      onMessage: () => undefined,
      onPeerDisconnect: () => undefined,
      nodeInfo: () => {
        throw new Error('broken reporter')
      },
    })
    await started(host)
    expect(host.service.nodeInfo().protocols).toEqual({ tst: 'unknown', bad: 'unknown' })
  })
})
