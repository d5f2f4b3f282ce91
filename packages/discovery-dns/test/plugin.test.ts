import { fakeComponents, handlesLeftOpenBy, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { loadCrypto } from '@parley/crypto'
import { encodeWaku2, encodeWakuMultiaddrs, enrToText, signEnr } from '@parley/enr'
import {
  type DiscoveredPeer,
  InvalidParametersError,
  NotStartedError,
  type ParleyEvents,
  type PeerDiscovery,
  peerDiscovery,
} from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import {
  buildTree,
  type DnsDiscovery,
  type DnsTreeServer,
  dnsDiscovery,
  formatEnrtreeUrl,
  serveTree,
  txtResponseSize,
} from '../src/index.ts'
import { makeEnrs, testKey } from './helpers.ts'

const { secp256k1: secp } = await loadCrypto()

/** Two trees on one loopback server: `a.example` (5 records) links to `b.example` (3 records). */
function linkedTrees(seq = 1, extra: string[] = []) {
  const b = buildTree({ enrs: makeEnrs(3, secp, 100), links: [], seq, domain: 'b.example' }, testKey(2), secp)
  const a = buildTree(
    { enrs: [...makeEnrs(5, secp), ...extra], links: [b.url], seq, domain: 'a.example' },
    testKey(1),
    secp,
  )
  return { a, b, records: new Map([...a.records, ...b.records]) }
}

const open: Array<{ stop(): Promise<void> | void }> = []
afterEach(async () => {
  for (const item of open.splice(0)) await item.stop()
})

async function serve(records: ReadonlyMap<string, string>): Promise<DnsTreeServer> {
  const server = await serveTree(records, { address: '127.0.0.1', port: 0 })
  open.push({ stop: () => server.close() })
  return server
}

function service(url: string, server: DnsTreeServer, extra: { refreshIntervalMs?: number } = {}) {
  const components = fakeComponents()
  const discovery = dnsDiscovery({
    urls: [url],
    servers: [`127.0.0.1:${server.port}`],
    secp,
    ...extra,
  }).create(components)
  open.push(discovery)
  return { discovery, components }
}

function collect(discovery: DnsDiscovery, count: number): Promise<DiscoveredPeer[]> {
  const seen: DiscoveredPeer[] = []
  return new Promise((resolve) => {
    discovery.addEventListener('peer:discovery', (event) => {
      seen.push(event.detail)
      if (seen.length === count) resolve(seen)
    })
  })
}

describe('dnsDiscovery over a loopback DNS server', () => {
  it('reports every record of a tree and its linked tree, on itself and on the node bus', async () => {
    const { a, records } = linkedTrees()
    const server = await serve(records)
    const { discovery, components } = service(a.url, server)
    const nodeEvents: Array<ParleyEvents['peer:discovery']> = []
    components.events.addEventListener('peer:discovery', (event) => nodeEvents.push(event.detail))
    const all = collect(discovery, 8)
    await discovery.start()
    const peers = await all
    const expected = [...makeEnrs(5, secp), ...makeEnrs(3, secp, 100)].sort()
    expect(peers.map((peer) => peer.enr).sort()).toEqual(expected)
    expect(new Set(peers.map((peer) => peer.id)).size).toBe(8)
    for (const peer of peers) {
      expect(peer.id).toMatch(/^[0-9a-f]{128}$/)
      expect(peer.enode).toBe(`enode://${peer.id}@${peer.enode?.split('@')[1]}`)
      expect(peer.enode).toMatch(/^enode:\/\/[0-9a-f]{128}@10\.0\.0\.\d+:30303$/)
    }
    expect(nodeEvents).toHaveLength(8)
    expect(nodeEvents.every((event) => event.source === 'dns' && event.overlay === 'devp2p')).toBe(true)
    expect(nodeEvents.map((event) => event.enode).sort()).toEqual(peers.map((peer) => peer.enode).sort())
    expect(discovery.peers).toHaveLength(8)
  })

  it('counts the DNS bytes of its lookups as parley_discovery_bytes_total{source="dns"}', async () => {
    const { a, records } = linkedTrees()
    const server = await serve(records)
    const { discovery, components } = service(a.url, server)
    await discovery.start()
    await discovery.refresh()
    const sent = components.recorded.get('parley_discovery_bytes_total{source="dns",direction="out"}') ?? 0
    const received = components.recorded.get('parley_discovery_bytes_total{source="dns",direction="in"}') ?? 0
    // Two full syncs fetched every record at least once (the second mostly from the cache).
    const names = [...records.keys()]
    const texts = [...records.values()].reduce((sum, text) => sum + text.length, 0)
    const responses = [...records].reduce((sum, [name, text]) => sum + txtResponseSize(name, text), 0)
    expect(received).toBeGreaterThan(texts)
    expect(received).toBeGreaterThanOrEqual(responses)
    expect(sent).toBeGreaterThanOrEqual(names.reduce((sum, name) => sum + name.length + 18, 0))
    expect(sent).toBeLessThan(received)
  })

  it('findPeers walks lazily for up to limit distinct peers', async () => {
    const { a, records } = linkedTrees()
    const server = await serve(records)
    const { discovery } = service(a.url, server)
    await expect(discovery.findPeers(2)).rejects.toBeInstanceOf(NotStartedError)
    await discovery.start()
    const two = await discovery.findPeers(2)
    expect(two).toHaveLength(2)
    const many = await discovery.findPeers(50)
    expect(many.length).toBeGreaterThan(2)
    expect(many.length).toBeLessThanOrEqual(8)
    await expect(discovery.findPeers(-1)).rejects.toBeInstanceOf(InvalidParametersError)
    await expect(discovery.findPeers(1, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    })
  })

  it('picks up a new root on the refresh timer and reports only the new record', async () => {
    const first = linkedTrees(1)
    const server = await serve(first.records)
    const { discovery } = service(first.a.url, server, { refreshIntervalMs: 50 })
    const initial = collect(discovery, 8)
    await discovery.start()
    await initial
    const newcomer = enrToText(
      signEnr(
        {
          seq: 1,
          entries: [
            ['waku2', encodeWaku2(['relay', 'store'])],
            ['multiaddrs', encodeWakuMultiaddrs(['/dns4/node.example.org/tcp/8000/wss'])],
          ],
        },
        testKey(7777),
        secp,
      ),
    )
    const next = new Promise<DiscoveredPeer>((resolve) =>
      discovery.addEventListener('peer:discovery', (event) => resolve(event.detail), { once: true }),
    )
    server.setRecords(linkedTrees(2, [newcomer]).records)
    const peer = await next
    expect(peer.enr).toBe(newcomer)
    expect(peer.capabilities?.sort()).toEqual(['waku2:relay', 'waku2:store'])
    expect(peer.multiaddrs).toEqual(['/dns4/node.example.org/tcp/8000/wss'])
    expect(discovery.peers).toHaveLength(9)
    // A manual refresh finds nothing new: every record is cached and already reported.
    expect(await discovery.refresh()).toEqual([])
  })

  it('is the PeerDiscovery refresh hook: a starved pool sees a republished tree before the 30-minute re-check', async () => {
    const first = linkedTrees(1)
    const server = await serve(first.records)
    const { discovery } = service(first.a.url, server)
    const initial = collect(discovery, 8)
    await discovery.start()
    await initial
    const newcomer = enrToText(signEnr({ seq: 1, entries: [] }, testKey(4242), secp))
    server.setRecords(linkedTrees(2, [newcomer]).records)
    // Without a re-check the walk stays on the old root: the new record never shows up.
    const before = await discovery.findPeers(50)
    expect(before.some((peer) => peer.enr === newcomer)).toBe(false)
    const source: PeerDiscovery = discovery
    const fresh = (await source.refresh?.()) ?? []
    expect(fresh.map((peer) => peer.enr)).toEqual([newcomer])
    const after = await discovery.findPeers(50)
    expect(after.some((peer) => peer.enr === newcomer)).toBe(true)
  })

  it('a tree that fails verification is logged and does not hide the others', async () => {
    const good = linkedTrees()
    const forged = buildTree(
      { enrs: makeEnrs(2, secp, 200), links: [], seq: 1, domain: 'c.example' },
      testKey(3),
      secp,
    )
    // The URL names another key than the one that signed c.example's root.
    const wrongKey = formatEnrtreeUrl({
      publicKey: secp.getPublicKey(testKey(4), true),
      domain: 'c.example',
    })
    const server = await serve(new Map([...good.records, ...forged.records]))
    const components = fakeComponents()
    const discovery = dnsDiscovery({
      urls: [wrongKey, good.a.url],
      servers: [`127.0.0.1:${server.port}`],
      secp,
    }).create(components)
    open.push(discovery)
    const all = collect(discovery, 8)
    await discovery.start()
    await all
    expect(discovery.peers.map((peer) => peer.enr)).not.toContain(makeEnrs(1, secp, 200)[0])
    await expect(discovery.refresh()).rejects.toMatchObject({
      name: 'TreeVerificationError',
      reason: 'bad-signature',
    })
    expect(components.logs.some((line) => line.includes('warn dns discovery round failed'))).toBe(true)
  })

  it('stop clears the refresh timer and cancels lookups in flight', async () => {
    const { a, records } = linkedTrees()
    const server = await serve(records)
    const { discovery } = service(a.url, server, { refreshIntervalMs: 60_000 })
    const leftOpen = await handlesLeftOpenBy(async () => {
      await discovery.start()
      await collect(discovery, 8)
      await discovery.stop()
    })
    expect(leftOpen).toEqual([])
  })

  it('refuses bad init with InvalidParametersError', () => {
    expect(() => dnsDiscovery({ urls: [] })).toThrow(InvalidParametersError)
    expect(() => dnsDiscovery({ urls: ['enode://abc@1.2.3.4:30303'] })).toThrow(InvalidParametersError)
    expect(() => dnsDiscovery({ urls: ['enrtree://x@y'], refreshIntervalMs: 0 })).toThrow(
      InvalidParametersError,
    )
    expect(() => dnsDiscovery({ urls: ['enrtree://x@y'], maxRequests: 1.5 })).toThrow(InvalidParametersError)
  })

  it('provides the peerDiscovery capability', () => {
    expect(dnsDiscovery({ urls: ['enrtree://x@y'] }).provides).toEqual([peerDiscovery])
  })
})

const tree = linkedTrees()
let suiteServer: DnsTreeServer | undefined

lifecycleSuite<DnsDiscovery>('dnsDiscovery', {
  async setup() {
    suiteServer = await serveTree(tree.records, { address: '127.0.0.1', port: 0 })
    return dnsDiscovery({ urls: [tree.a.url], servers: [`127.0.0.1:${suiteServer.port}`], secp }).create(
      fakeComponents(),
    )
  },
  async teardown(discovery) {
    await discovery.stop()
    await suiteServer?.close()
  },
})

pluginSuite('dnsDiscovery', () => dnsDiscovery({ urls: [tree.a.url], servers: ['127.0.0.1:9'], secp }))
