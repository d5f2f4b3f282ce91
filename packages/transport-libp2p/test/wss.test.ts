import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeComponents } from '@parley/compliance-tests'
import { InvalidConfigError } from '@parley/interfaces'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Libp2pHostService, type Libp2pInit, libp2p } from '../src/index.ts'

// A throwaway self-signed certificate for 127.0.0.1, made per run with the system openssl.
let dir = ''
let certPath = ''
let keyPath = ''
let certPem = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-wss-'))
  certPath = join(dir, 'cert.pem')
  keyPath = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  )
  certPem = readFileSync(certPath, 'utf8')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const running: Libp2pHostService[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((host) => host.stop()))
})

async function startHost(init: Libp2pInit) {
  const host = libp2p({ keepAliveInterval: 0, ...init }).create(fakeComponents())
  running.push(host)
  await host.start()
  return host
}

describe('secure WebSocket', () => {
  it('listens on /wss with a certificate from files and is dialled over TLS, then identify and ping run', async () => {
    const server = await startHost({
      listen: ['/ip4/127.0.0.1/tcp/0/wss'],
      secureWebSocket: { certPath, keyPath },
    })
    const [address] = server.multiaddrs()
    expect(address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/tls\/ws\/p2p\/16Uiu2HA/)
    const client = await startHost({
      listen: ['/ip4/127.0.0.1/tcp/0'],
      webSocketTrustedCertificates: [certPem],
    })
    const identified = new Promise<string[]>((resolve) =>
      client.node.addEventListener('peer:identify', (e) => resolve(e.detail.protocols), { once: true }),
    )
    // the /wss spelling dials the same listener
    await client.dial(address!.replace('/tls/ws/', '/wss/'))
    expect(client.connectedPeers()).toEqual([server.peerId])
    expect(await identified).toContain('/ipfs/ping/1.0.0')
    const [connection] = client.node.getConnections()
    expect(connection?.remoteAddr.toString()).toMatch(/\/wss\//)
    expect(await client.node.services.ping.ping(server.node.peerId)).toBeGreaterThanOrEqual(0)
  })

  it('takes PEM text and keeps a plain /ws listener beside the secure one', async () => {
    const server = await startHost({
      listen: ['/ip4/127.0.0.1/tcp/0/ws', '/ip4/127.0.0.1/tcp/0/wss'],
      secureWebSocket: { cert: certPem, key: readFileSync(keyPath, 'utf8') },
    })
    const plain = server.multiaddrs().find((a) => /\/tcp\/\d+\/ws\//.test(a))
    const secure = server.multiaddrs().find((a) => a.includes('/tls/ws/'))
    expect(plain).toBeDefined()
    const viaWs = await startHost({ listen: [] })
    await viaWs.dial(plain!)
    const viaWss = await startHost({ listen: [], webSocketTrustedCertificates: [certPem] })
    await viaWss.dial(secure!)
    expect([...viaWs.connectedPeers(), ...viaWss.connectedPeers()]).toEqual([server.peerId, server.peerId])
    // the listener registers an inbound connection a moment after the dialler's resolves
    await vi.waitFor(
      () => expect(server.connectedPeers().sort()).toEqual([viaWs.peerId, viaWss.peerId].sort()),
      { timeout: 10_000 },
    )
    expect(viaWs.node.getConnections()[0]?.remoteAddr.toString()).toMatch(/\/tcp\/\d+\/ws\//)
    expect(viaWss.node.getConnections()[0]?.remoteAddr.toString()).toMatch(/\/tls\/ws\//)
  })

  it('refuses a self-signed certificate it was not told to trust', async () => {
    const server = await startHost({
      listen: ['/ip4/127.0.0.1/tcp/0/wss'],
      secureWebSocket: { certPath, keyPath },
    })
    const client = await startHost({ listen: [] })
    await expect(
      client.dial(server.multiaddrs()[0]!, { signal: AbortSignal.timeout(5_000) }),
    ).rejects.toThrow()
    expect(client.connectedPeers()).toEqual([])
  })

  it('rejects incomplete TLS config, /wss without one, and unreadable files at start', async () => {
    expect(() => libp2p({ secureWebSocket: { certPath } })).toThrow(InvalidConfigError)
    expect(() => libp2p({ secureWebSocket: { cert: 'x', keyPath } })).toThrow(InvalidConfigError)
    expect(() => libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/wss'] })).toThrow(InvalidConfigError)
    expect(() => libp2p({ webSocketTrustedCertificates: ['nope'] })).toThrow(InvalidConfigError)
    const host = libp2p({
      listen: ['/ip4/127.0.0.1/tcp/0/wss'],
      secureWebSocket: { certPath: join(dir, 'missing.pem'), keyPath },
    }).create(fakeComponents())
    await expect(host.start()).rejects.toThrow(InvalidConfigError)
    expect(host.isStarted()).toBe(false)
  })
})
