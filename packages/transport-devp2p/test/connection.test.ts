import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { loadCrypto, randomBytes } from '@parley/crypto'
import { AbortError, TimeoutError } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import type { SharedCapability } from '../src/capabilities.ts'
import { DISCONNECT_REASONS } from '../src/p2p/messages.ts'
import { RlpxConnection, type RlpxConnectionOptions } from '../src/tcp/connection.ts'

const { secp256k1: secp } = await loadCrypto()
const caps = [
  { name: 'shh', version: 6, length: 128 },
  { name: 'waku', version: 1, length: 128 },
]
const servers: Server[] = []
const sockets: Socket[] = []

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) server.close()
})

function randomKey(): Uint8Array {
  for (;;) {
    const key = randomBytes(32)
    if (secp.isValidPrivateKey(key)) return key
  }
}

interface Received {
  capability: string
  code: number
  data: Uint8Array
}

function options(
  privateKey: Uint8Array,
  received: Received[] = [],
  extra: Partial<RlpxConnectionOptions> = {},
) {
  return {
    secp,
    privateKey,
    clientId: 'parley/test',
    listenPort: 0,
    capabilities: caps,
    onMessage: (capability: SharedCapability, code: number, data: Uint8Array) =>
      received.push({ capability: capability.name, code, data }),
    ...extra,
  }
}

/** A listening server that hands each inbound socket to `onSocket`; returns a connected client socket. */
async function socketPair(onSocket: (socket: Socket) => void): Promise<Socket> {
  const server = createServer((socket) => {
    sockets.push(socket)
    onSocket(socket)
  })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const client = connect(port, '127.0.0.1')
  sockets.push(client)
  await once(client, 'connect')
  return client
}

/** Polls until `check` holds; the bound is generous because a loaded machine delays every timer. */
const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(check()).toBe(true)
}

describe('RlpxConnection over loopback TCP', () => {
  it('handshakes, carries waku codes past 127 both ways, and closes with Disconnect', async () => {
    const serverKey = randomKey()
    const clientKey = randomKey()
    const atServer: Received[] = []
    const atClient: Received[] = []
    const closes: Array<[number, boolean]> = []
    let accepted: Promise<RlpxConnection> | undefined
    const socket = await socketPair((inbound) => {
      accepted = RlpxConnection.accept(
        inbound,
        options(serverKey, atServer, { onClose: (reason, remote) => closes.push([reason, remote]) }),
      )
    })
    const client = await RlpxConnection.dial(
      socket,
      secp.getPublicKey(serverKey, false),
      options(clientKey, atClient),
    )
    const server = await accepted!
    expect(client.remoteId).toBe(Buffer.from(secp.getPublicKey(serverKey, false).subarray(1)).toString('hex'))
    expect(server.remoteId).toBe(Buffer.from(secp.getPublicKey(clientKey, false).subarray(1)).toString('hex'))
    expect(client.shared.map((cap) => [cap.name, cap.offset])).toEqual([
      ['shh', 0x10],
      ['waku', 0x90],
    ])
    await client.send('waku', 126, Uint8Array.of(0xc1, 0x7e))
    await server.send('waku', 127, Uint8Array.of(0xc1, 0x7f))
    await client.send('shh', 1, Uint8Array.of(0xc0))
    await until(() => atServer.length === 2 && atClient.length === 1)
    expect(atServer.map((m) => [m.capability, m.code])).toEqual([
      ['waku', 126],
      ['shh', 1],
    ])
    expect(atClient.map((m) => [m.capability, m.code])).toEqual([['waku', 127]])
    client.disconnect(DISCONNECT_REASONS.quitting)
    await until(() => closes.length === 1)
    expect(closes).toEqual([[DISCONNECT_REASONS.quitting, true]])
  })

  it('pings on its interval, answers pings, and ends a session silent past the read timeout', async () => {
    // A stall of the whole process longer than the read timeout fires that timer before the pending
    // Pongs are read, so the timeout is far above the ping interval and above any plausible stall.
    const KEEPALIVE_READ_TIMEOUT_MS = 1000
    const serverKey = randomKey()
    const closes: Array<[string, number, boolean]> = []
    let accepted: Promise<RlpxConnection> | undefined
    const socket = await socketPair((inbound) => {
      accepted = RlpxConnection.accept(
        inbound,
        options(serverKey, [], {
          pingIntervalMs: 20,
          readTimeoutMs: KEEPALIVE_READ_TIMEOUT_MS,
          onClose: (reason, remote) => closes.push(['server', reason, remote]),
        }),
      )
    })
    // The client never pings on its own. The server's pings keep the client's read timer fresh,
    // and the client's Pongs keep the server's.
    await RlpxConnection.dial(
      socket,
      secp.getPublicKey(serverKey, false),
      options(randomKey(), [], {
        pingIntervalMs: 60_000,
        readTimeoutMs: KEEPALIVE_READ_TIMEOUT_MS,
        onClose: (reason, remote) => closes.push(['client', reason, remote]),
      }),
    )
    await accepted
    await new Promise((resolve) => setTimeout(resolve, 2.5 * KEEPALIVE_READ_TIMEOUT_MS))
    expect(closes).toEqual([])

    // A peer that never pings: the client hears nothing and ends the session itself.
    const quietKey = randomKey()
    let quiet: Promise<RlpxConnection> | undefined
    const socket2 = await socketPair((inbound) => {
      quiet = RlpxConnection.accept(inbound, options(quietKey, [], { pingIntervalMs: 60_000 }))
    })
    await RlpxConnection.dial(
      socket2,
      secp.getPublicKey(quietKey, false),
      options(randomKey(), [], {
        pingIntervalMs: 60_000,
        readTimeoutMs: 80,
        onClose: (reason, remote) => closes.push(['client', reason, remote]),
      }),
    )
    await quiet
    await until(() => closes.length === 1)
    expect(closes).toEqual([['client', DISCONNECT_REASONS.readTimeout, false]])
  })

  it('fails a dial on a handshake timeout, on abort, and on the wrong remote key', async () => {
    const mute = await socketPair(() => {}) // accepts TCP but never answers
    await expect(
      RlpxConnection.dial(
        mute,
        secp.getPublicKey(randomKey(), false),
        options(randomKey(), [], { handshakeTimeoutMs: 50 }),
      ),
    ).rejects.toBeInstanceOf(TimeoutError)

    const controller = new AbortController()
    const mute2 = await socketPair(() => {})
    const dialing = RlpxConnection.dial(mute2, secp.getPublicKey(randomKey(), false), options(randomKey()), {
      signal: controller.signal,
    })
    controller.abort()
    await expect(dialing).rejects.toBeInstanceOf(AbortError)

    const serverKey = randomKey()
    let accepted: Promise<RlpxConnection> | undefined
    const socket = await socketPair((inbound) => {
      accepted = RlpxConnection.accept(inbound, options(serverKey))
    })
    // the client believes the server has another key: the server cannot decrypt the auth
    const dialing2 = RlpxConnection.dial(socket, secp.getPublicKey(randomKey(), false), options(randomKey()))
    await expect(accepted!).rejects.toThrow()
    await expect(dialing2).rejects.toThrow()
  })
})
