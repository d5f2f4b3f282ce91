import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { handlesLeftOpenBy } from '@parley/compliance-tests'
import { generatePrivateKey, loadCrypto, randomBytes } from '@parley/crypto'
import { AbortError, InvalidParametersError, LimitExceededError, TimeoutError } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { DISCONNECT_REASONS, parseEnode, RlpxConnection } from '../src/index.ts'
import { enodeOf, type TestHost, testHost, until } from './host-helpers.ts'

const { secp256k1: secp } = await loadCrypto()
const DIAL_FAILED = 'parley_devp2p_handshake_failures_total{direction="outbound",error="DialError"}'
const hosts: TestHost[] = []
const servers: Server[] = []
const sockets: Socket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) server.close()
  await Promise.all(hosts.splice(0).map((host) => host.service.stop()))
})

async function started(...made: TestHost[]): Promise<void> {
  hosts.push(...made)
  await Promise.all(made.map((host) => host.service.start()))
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A TCP server that accepts and never answers; returns an enode URL pointing at it. */
async function silentServer(): Promise<string> {
  const server = createServer((socket) => sockets.push(socket))
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const id = Buffer.from(secp.getPublicKey(generatePrivateKey(), false).subarray(1)).toString('hex')
  return `enode://${id}@127.0.0.1:${port}`
}

describe('Devp2pHost over loopback TCP', () => {
  it('dials by enode and carries codes 0, 127, 128 and 129 both ways', async () => {
    const a = testHost({ clientId: 'parley/a' })
    const b = testHost({ clientId: 'parley/b' })
    await started(a, b)
    const connects: string[] = []
    b.components.events.addEventListener('peer:connect', (event) => connects.push(event.detail.id))

    const peer = await a.service.dial(enodeOf(b))
    expect(peer.id).toBe(b.service.nodeId)
    expect(peer.clientId).toBe('parley/b')
    expect(peer.direction).toBe('outbound')
    await until(() => b.connected.length === 1, 'B sees A')
    expect(b.connected[0]?.id).toBe(a.service.nodeId)
    expect(connects).toEqual([a.service.nodeId])

    const codes = [0, 127, 128, 129]
    for (const code of codes) await a.connected[0]?.send(code, Uint8Array.of(0xc1, code & 0x7f))
    for (const code of codes) await b.connected[0]?.send(code, Uint8Array.of(0xc2, 0x80, code & 0x7f))
    await until(() => a.received.length === 4 && b.received.length === 4, 'all messages delivered')
    expect(b.received.map((m) => m.code)).toEqual(codes)
    expect(a.received.map((m) => m.code)).toEqual(codes)
    expect(b.received[3]?.payload).toEqual(Uint8Array.of(0xc1, 129 & 0x7f))
    expect(a.received[2]?.payload).toEqual(Uint8Array.of(0xc2, 0x80, 0))
    expect(a.received.every((m) => m.peer === b.service.nodeId)).toBe(true)
    await expect(a.connected[0]?.send(130, Uint8Array.of(0xc0))).rejects.toBeInstanceOf(
      InvalidParametersError,
    )

    // Connection-level peer: one shared capability, so `send` works without naming it.
    await peer.send(5, Uint8Array.of(0xc0))
    await until(() => b.received.length === 5)
    expect(peer.bytesOut).toBeGreaterThan(0)
    expect(peer.bytesIn).toBeGreaterThan(0)
    const out = a.components.recorded.get('parley_devp2p_bytes_total{direction="out"}') ?? 0
    expect(out).toBeGreaterThan(0)
    expect(a.components.recorded.get('parley_devp2p_peers')).toBe(1)
  })

  it('rejects self-dials, duplicate peers, and dials before start', async () => {
    const a = testHost()
    const b = testHost()
    await expect(a.service.dial('enode://00@127.0.0.1:1')).rejects.toMatchObject({ name: 'NotStartedError' })
    await started(a, b)
    await expect(a.service.dial(enodeOf(a))).rejects.toBeInstanceOf(InvalidParametersError)
    await a.service.dial(enodeOf(b))
    await expect(a.service.dial(enodeOf(b))).rejects.toBeInstanceOf(InvalidParametersError)
    await until(() => b.service.peers().length === 1)
    // B dialling back would duplicate the connection A opened.
    await expect(b.service.dial(enodeOf(a))).rejects.toBeInstanceOf(InvalidParametersError)
    expect(() =>
      a.service.registerCapability({
        name: 'late',
        version: 1,
        length: 1,
        onPeerConnect: () => {},
        onMessage: () => {},
        onPeerDisconnect: () => {},
      }),
    ).toThrow(InvalidParametersError)
  })

  it('keeps exactly one connection when two nodes dial each other at once', async () => {
    for (let round = 0; round < 3; round++) {
      const a = testHost()
      const b = testHost()
      await started(a, b)
      await Promise.allSettled([a.service.dial(enodeOf(b)), b.service.dial(enodeOf(a))])
      await until(() => a.service.peers().length === 1 && b.service.peers().length === 1, 'one peer each')
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect([a.service.peers().length, b.service.peers().length]).toEqual([1, 1])
      // Both sides kept the same connection: the one the lower node id dialled.
      const lowerDialled = a.service.nodeId < b.service.nodeId ? 'a' : 'b'
      expect(a.service.peers()[0]?.direction).toBe(lowerDialled === 'a' ? 'outbound' : 'inbound')
      expect(b.service.peers()[0]?.direction).toBe(lowerDialled === 'b' ? 'outbound' : 'inbound')
      await a.service.peers()[0]?.send(3, Uint8Array.of(0xc0))
      await until(() => b.received.length === 1, 'the kept connection works')
    }
  })

  it('refuses inbound peers beyond maxPeers with TooManyPeers', async () => {
    const b = testHost({ maxPeers: 1 })
    const a = testHost()
    const c = testHost()
    await started(a, b, c)
    await a.service.dial(enodeOf(b))
    await until(() => b.service.peers().length === 1)
    const dialled = await c.service.dial(enodeOf(b)).then(
      () => 'resolved',
      (error: Error) => error.name,
    )
    // C may see the Hello before B's Disconnect: either way it ends up without B, told why.
    await until(() => c.service.peers().length === 0, 'C dropped')
    expect(['resolved', 'InvalidParametersError', 'DecodeError']).toContain(dialled)
    expect(b.service.peers().map((peer) => peer.id)).toEqual([a.service.nodeId])
    expect(
      b.components.recorded.get('parley_devp2p_disconnects_total{reason="too many peers",side="local"}'),
    ).toBe(1)
    if (dialled === 'resolved') expect(c.disconnected[0]?.reason).toBe(DISCONNECT_REASONS.tooManyPeers)
    // maxPeers also bounds dialling out.
    await expect(b.service.dial(enodeOf(c))).rejects.toBeInstanceOf(LimitExceededError)
  })

  it('aborts a dial through its signal, and times out a silent peer', async () => {
    const a = testHost({ dialTimeoutMs: 100 })
    await started(a)
    const silent = await silentServer()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    await expect(a.service.dial(silent, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError)
    await expect(a.service.dial(silent)).rejects.toBeInstanceOf(TimeoutError)
    await expect(a.service.dial(silent, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
    expect(a.service.peers()).toEqual([])
  })

  it('drops a peer that sends garbage, before or after the handshake, and keeps serving', async () => {
    const b = testHost()
    const a = testHost()
    await started(a, b)
    const { host, tcpPort, publicKey } = parseEnode(enodeOf(b))

    // An oversized size prefix, then a well-sized packet that is not ECIES: each is refused at once.
    for (const prefix of [
      [0xff, 0xff],
      [0x01, 0x8e],
    ]) {
      const raw = connect(tcpPort, host)
      sockets.push(raw)
      await once(raw, 'connect')
      raw.write(Uint8Array.from([...prefix, ...randomBytes(398)]))
      await once(raw, 'close')
    }
    const failures = (): number =>
      [...b.components.recorded]
        .filter(([key]) => key.startsWith('parley_devp2p_handshake_failures_total{direction="inbound"'))
        .reduce((sum, [, value]) => sum + value, 0)
    await until(() => failures() === 2, 'handshake failures counted')
    expect(b.service.peers()).toEqual([])

    const socket = connect(tcpPort, host)
    sockets.push(socket)
    await once(socket, 'connect')
    const connection = await RlpxConnection.dial(socket, publicKey, {
      secp,
      privateKey: generatePrivateKey(),
      clientId: 'evil',
      listenPort: 0,
      capabilities: [{ name: 'tst', version: 1, length: 130 }],
    })
    await until(() => b.service.peers().length === 1)
    socket.write(randomBytes(64)) // not a valid frame: the MAC fails
    await until(() => b.service.peers().length === 0, 'garbage peer dropped')
    expect(connection.remoteId).toBe(b.service.nodeId)
    expect(
      b.components.recorded.get('parley_devp2p_disconnects_total{reason="breach of protocol",side="local"}'),
    ).toBe(1)

    await a.service.dial(enodeOf(b))
    await a.connected[0]?.send(1, Uint8Array.of(0xc0))
    await until(() => b.received.length === 1, 'B still serves')
  })

  it('disconnects a peer whose capability handler throws or rejects, with subprotocolError', async () => {
    const b = testHost({}, async (_peer, code) => {
      if (code === 8) throw new Error('async handler bug')
    })
    const c = testHost({}, (_peer, code) => {
      if (code === 7) throw new Error('sync handler bug')
    })
    const a = testHost()
    await started(a, b, c)
    await a.service.dial(enodeOf(b))
    await a.service.dial(enodeOf(c))
    await until(() => a.connected.length === 2)
    for (const peer of a.connected) await peer.send(peer.id === b.service.nodeId ? 8 : 7, Uint8Array.of(0xc0))
    await until(() => a.disconnected.length === 2, 'A sees both disconnects')
    expect(a.disconnected.map((d) => d.reason)).toEqual([
      DISCONNECT_REASONS.subprotocolError,
      DISCONNECT_REASONS.subprotocolError,
    ])
    expect(b.components.recorded.get('parley_devp2p_handler_failures_total')).toBe(1)
    expect(c.components.recorded.get('parley_devp2p_handler_failures_total')).toBe(1)
  })

  it('redials a static peer after the remote restarts', async () => {
    const b = testHost({ port: await freePort() })
    await started(b)
    const a = testHost({ staticPeers: [enodeOf(b)], redialDelay: { initialMs: 20, maxMs: 100 } })
    await started(a)
    await until(() => a.service.peers().length === 1, 'static peer connected at start')
    // A holds B once it has B's Hello; B may still be reading A's. Stop B only once it admitted A.
    await until(() => b.service.peers().length === 1, 'B admitted A')

    await b.service.stop()
    await until(() => a.service.peers().length === 0, 'A sees B leave')
    expect(a.disconnected[0]?.reason).toBe(DISCONNECT_REASONS.quitting)
    // Let a redial fail against the closed port before B comes back on it, same key.
    const failedRedials = (): number =>
      a.components.recorded.get(
        'parley_devp2p_handshake_failures_total{direction="outbound",error="DialError"}',
      ) ?? 0
    await until(() => failedRedials() > 0, 'a redial failed against the closed port')
    await b.service.start()
    await until(() => a.service.peers().length === 1, 'A redialled B')
    expect(a.service.peers()[0]?.id).toBe(b.service.nodeId)
  })

  it('stop closes the server, disconnects peers and leaves no handles behind', async () => {
    const leftOpen = await handlesLeftOpenBy(async () => {
      // One static peer that never answers (a dial in flight at stop), one on a closed port (a redial timer).
      const closed = `enode://${parseEnode(await silentServer()).nodeId}@127.0.0.1:${await freePort()}`
      const a = testHost({ staticPeers: [await silentServer(), closed], redialDelay: { initialMs: 10_000 } })
      const b = testHost()
      await a.service.start()
      await until(() => (a.components.recorded.get(DIAL_FAILED) ?? 0) === 1, 'closed port refused')
      await b.service.start()
      await a.service.dial(enodeOf(b))
      await until(() => b.service.peers().length === 1)
      await Promise.all([a.service.stop(), b.service.stop()])
      expect(a.service.peers()).toEqual([])
      expect(b.service.peers()).toEqual([])
      expect(a.service.enode).toBeUndefined()
      for (const socket of sockets.splice(0)) socket.destroy()
      for (const server of servers.splice(0)) server.close()
    })
    expect(leftOpen).toEqual([])
  })
})
