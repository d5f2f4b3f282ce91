import { fakeComponents } from '@parley/compliance-tests'
import { generatePrivateKey } from '@parley/crypto'
import { InvalidConfigError, type PeerEventDetail } from '@parley/interfaces'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Libp2pHostService, type Libp2pInit, libp2p } from '../src/index.ts'

const PING = '/ipfs/ping/1.0.0'
/** Bounds for waits on connections and pings: generous, since CI is a loaded 2-core machine. */
const WAIT = { timeout: 10_000 }
const running: Libp2pHostService[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((host) => host.stop()))
})

async function startHost(init: Libp2pInit = {}) {
  const components = fakeComponents()
  const host = libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'], keepAliveInterval: 0, ...init }).create(components)
  running.push(host)
  await host.start()
  return { host, components }
}

describe('keep-alive', () => {
  it('pings outbound peers every interval; the inbound side does not ping back', async () => {
    const b = await startHost()
    const a = await startHost({ keepAliveInterval: 50 })
    await a.host.dial(b.host.multiaddrs()[0]!)
    const answered = () =>
      b.components.recorded.get(`parley_libp2p_protocol_bytes_total{protocol="${PING}",direction="in"}`) ?? 0
    await vi.waitFor(() => expect(answered()).toBeGreaterThanOrEqual(3 * 32), WAIT) // a ping is 32 random bytes
    expect(a.components.recorded.get('parley_libp2p_keepalive_pings_total')).toBeGreaterThanOrEqual(3)
    expect(a.components.logs.filter((l) => l.includes('keep-alive'))).toEqual([])
    expect(a.components.recorded.get('parley_libp2p_keepalive_failures_total') ?? 0).toBe(0)
    expect(b.components.recorded.get('parley_libp2p_keepalive_pings_total') ?? 0).toBe(0)
    expect(a.host.connectedPeers()).toEqual([b.host.peerId])
  })

  it('hangs up a peer after keepAliveMaxFailures failed pings in a row', async () => {
    const b = await startHost()
    const a = await startHost({ keepAliveInterval: 50, keepAliveMaxFailures: 2 })
    await b.host.node.unhandle(PING) // b stops answering pings
    const gone = new Promise<PeerEventDetail>((resolve) =>
      a.components.events.addEventListener('peer:disconnect', (e) => resolve(e.detail), { once: true }),
    )
    await a.host.dial(b.host.multiaddrs()[0]!)
    expect((await gone).id).toBe(b.host.peerId)
    expect(a.components.recorded.get('parley_libp2p_keepalive_failures_total')).toBe(2)
    expect(a.components.recorded.get('parley_libp2p_keepalive_hangups_total')).toBe(1)
    expect(a.host.connectedPeers()).toEqual([])
  })

  it('is off with keepAliveInterval 0 and rejects bad settings', async () => {
    const b = await startHost()
    const a = await startHost({ keepAliveInterval: 0 })
    await a.host.dial(b.host.multiaddrs()[0]!)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(a.components.recorded.get('parley_libp2p_keepalive_pings_total') ?? 0).toBe(0)
    expect(() => libp2p({ keepAliveInterval: -1 })).toThrow(InvalidConfigError)
    expect(() => libp2p({ keepAliveMaxFailures: 0 })).toThrow(InvalidConfigError)
  })
})

describe('static peers', () => {
  it('dials them at start and redials after they hang up', async () => {
    const b = await startHost()
    const a = await startHost({ staticPeers: [b.host.multiaddrs()[0]!], staticPeerRedialDelay: 20 })
    await vi.waitFor(() => expect(a.host.connectedPeers()).toEqual([b.host.peerId]), WAIT)
    // b registers the inbound connection a moment after a's dial resolves
    await vi.waitFor(() => expect(b.host.connectedPeers()).toEqual([a.host.peerId]), WAIT)
    const dropped = new Promise<void>((resolve) =>
      a.components.events.addEventListener('peer:disconnect', () => resolve(), { once: true }),
    )
    await b.host.node.hangUp(a.host.node.peerId)
    await dropped
    await vi.waitFor(() => expect(a.host.connectedPeers()).toEqual([b.host.peerId]), WAIT)
    expect(a.components.recorded.get('parley_libp2p_peer_connects_total')).toBe(2)
  })

  it('keeps retrying a peer that is down, with back-off, until it comes up', async () => {
    const privateKey = generatePrivateKey()
    const first = await startHost({ privateKey })
    const address = first.host.multiaddrs()[0]!
    await first.host.stop() // the same key comes back on the same port below
    const a = await startHost({
      staticPeers: [address],
      staticPeerRedialDelay: 20,
      staticPeerMaxRedialDelay: 80,
    })
    await vi.waitFor(
      () =>
        expect(
          a.components.logs.filter((line) => line.includes('dial failed')).length,
        ).toBeGreaterThanOrEqual(2),
      WAIT,
    )
    expect(a.host.connectedPeers()).toEqual([])
    const port = /\/tcp\/(\d+)\//.exec(address)?.[1]
    const back = await startHost({ privateKey, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await vi.waitFor(() => expect(a.host.connectedPeers()).toEqual([back.host.peerId]), WAIT)
  })

  it('needs a /p2p/<id> in each address', () => {
    expect(() => libp2p({ staticPeers: ['/ip4/127.0.0.1/tcp/1'] })).toThrow(InvalidConfigError)
    expect(() => libp2p({ staticPeers: ['not an address'] })).toThrow(InvalidConfigError)
  })
})
