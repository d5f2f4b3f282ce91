import { fakeComponents, lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { loadCrypto } from '@parley/crypto'
import { StaticPeerDiscovery, staticPeers } from '@parley/discovery-static'
import { decodeEnr, libp2pPeerId } from '@parley/enr'
import { type DiscoveredPeer, InvalidConfigError, peerDiscovery } from '@parley/interfaces'
import { caseById, loadVectors, str } from '@parley/test-support'
import { afterEach, describe, expect, it, vi } from 'vitest'

const { secp256k1 } = await loadCrypto()
const vectors = loadVectors('enr-eip778.json')
const enode = str(caseById(vectors, 'geth-enode-url-2').input, 'url')
const enodeId = enode.slice('enode://'.length, 'enode://'.length + 128)
const enrWithTcp = str(caseById(vectors, 'ethereumjs-enr').input, 'enr_text')
const enrWithoutTcp = str(caseById(vectors, 'eip778-example-record').input, 'enr_text')
const peerId = libp2pPeerId(decodeEnr(enrWithTcp, secp256k1).publicKey)
const multiaddr = `/ip4/10.0.0.2/tcp/60000/p2p/${peerId}`

function collect(discovery: StaticPeerDiscovery): DiscoveredPeer[] {
  const seen: DiscoveredPeer[] = []
  discovery.addEventListener('peer:discovery', (event) => seen.push(event.detail))
  return seen
}

lifecycleSuite('StaticPeerDiscovery', {
  setup: async () => new StaticPeerDiscovery({ enodes: [enode], multiaddrs: [multiaddr] }),
  teardown: async (discovery) => discovery.stop(),
})
pluginSuite('staticPeers', () => staticPeers({ enodes: [enode] }))

describe('staticPeers configuration', () => {
  it('provides peerDiscovery', () => {
    expect(staticPeers({ enodes: [enode] }).provides).toEqual([peerDiscovery])
  })

  it.each([
    ['enodes', { enodes: [enode, 'enode://01010101@1.2.3.4:30303'] }, 'enode://01010101@1.2.3.4:30303'],
    ['enodes without an address', { enodes: [`enode://${enodeId}`] }, `enode://${enodeId}`],
    ['multiaddrs', { multiaddrs: ['/ip4/1.2.3.4/tcp/1'] }, '/ip4/1.2.3.4/tcp/1'],
    ['multiaddrs', { multiaddrs: ['/ip4/1.2.3.999/tcp/1/p2p/x'] }, '/ip4/1.2.3.999/tcp/1/p2p/x'],
    ['enrs', { enrs: ['enr:x'], secp256k1 }, 'enr:x'],
  ])('rejects bad %s at create, naming the entry', (_kind, init, bad) => {
    const error = (() => {
      try {
        staticPeers(init)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(InvalidConfigError)
    expect((error as Error).message).toContain(`"${bad}"`)
  })

  it('needs a secp256k1 provider to verify ENRs', () => {
    expect(() => staticPeers({ enrs: [enrWithTcp] })).toThrow(/secp256k1/)
  })

  it('rejects nonsensical intervals', () => {
    expect(() => staticPeers({ redialIntervalMs: 0 })).toThrow(InvalidConfigError)
    expect(() => staticPeers({ redialIntervalMs: 5000, maxRedialIntervalMs: 1000 })).toThrow(
      InvalidConfigError,
    )
  })
})

describe('StaticPeerDiscovery', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('announces every entry on start, with ids from the entries', async () => {
    const discovery = new StaticPeerDiscovery({
      enodes: [enode],
      multiaddrs: [multiaddr],
      enrs: [enrWithTcp, enrWithoutTcp],
      secp256k1,
    })
    const seen = collect(discovery)
    await discovery.start()
    await discovery.stop()
    expect(seen.map((peer) => peer.id)).toEqual([enodeId, peerId, expect.any(String), expect.any(String)])
    expect(seen[1]?.multiaddrs).toEqual([multiaddr])
    expect(seen[2]?.enode).toMatch(/^enode:\/\/[0-9a-f]{128}@40\.113\.111\.135:30303$/)
    expect(seen[2]?.enr).toBe(enrWithTcp)
    // The EIP-778 example has no TCP port, so it is announced by record only.
    expect(seen[3]?.enode).toBeUndefined()
    expect(seen[3]?.id.startsWith('ca634cae')).toBe(true)
  })

  it('merges entries for the same peer', async () => {
    const discovery = new StaticPeerDiscovery({ enodes: [enode, enode] })
    expect(await discovery.findPeers(10)).toEqual([{ id: enodeId, enode }])
  })

  it('also reports to the node event bus, with overlay and source', async () => {
    const components = fakeComponents()
    const discovery = staticPeers({ multiaddrs: [multiaddr] }).create(components)
    const seen: unknown[] = []
    components.events.addEventListener('peer:discovery', (event) => seen.push(event.detail))
    await discovery.start()
    await discovery.stop()
    expect(seen).toEqual([{ id: peerId, overlay: 'libp2p', source: 'static', multiaddrs: [multiaddr] }])
  })

  it('re-announces with exponential back-off from 1 s capped at 60 s', async () => {
    vi.useFakeTimers()
    const discovery = new StaticPeerDiscovery({ enodes: [enode] })
    const seen = collect(discovery)
    await discovery.start()
    const times: number[] = []
    discovery.addEventListener('peer:discovery', () => times.push(Date.now()))
    const startedAt = Date.now()
    await vi.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000 + 8_000 + 16_000 + 32_000 + 60_000 + 60_000)
    const gaps = times.map((time, index) => time - (index === 0 ? startedAt : (times[index - 1] ?? 0)))
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])
    expect(seen).toHaveLength(9)
    await discovery.stop()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(seen).toHaveLength(9)
  })

  it('markConnected stops announcements; markDisconnected restarts them at 1 s', async () => {
    vi.useFakeTimers()
    const discovery = new StaticPeerDiscovery({ enodes: [enode], redialIntervalMs: 1_000 })
    const seen = collect(discovery)
    await discovery.start()
    await vi.advanceTimersByTimeAsync(3_000) // announcements at 0, 1 s, 3 s
    expect(seen).toHaveLength(3)
    expect(discovery.nextDelayMs(enodeId)).toBe(4_000)
    expect(discovery.markConnected(enodeId)).toBe(true)
    expect(discovery.nextDelayMs(enodeId)).toBeUndefined()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(seen).toHaveLength(3)
    expect(discovery.markDisconnected(enodeId)).toBe(true)
    expect(discovery.nextDelayMs(enodeId)).toBe(1_000)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(seen).toHaveLength(4)
    expect(discovery.markConnected('unknown')).toBe(false)
    await discovery.stop()
  })

  it('findPeers lists peers that need a connection first, up to limit', async () => {
    const discovery = new StaticPeerDiscovery({ enodes: [enode], multiaddrs: [multiaddr] })
    discovery.markConnected(enodeId)
    expect((await discovery.findPeers(10)).map((peer) => peer.id)).toEqual([peerId, enodeId])
    expect(await discovery.findPeers(1)).toHaveLength(1)
    expect(await discovery.findPeers(0)).toEqual([])
    await expect(discovery.findPeers(-1)).rejects.toThrow(/limit/)
    await expect(discovery.findPeers(1, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i)
  })

  it('a throwing listener does not stop the other listeners', async () => {
    const discovery = new StaticPeerDiscovery({ enodes: [enode] })
    discovery.addEventListener('peer:discovery', () => {
      throw new Error('listener bug')
    })
    const seen = collect(discovery)
    await discovery.start()
    await discovery.stop()
    expect(seen).toHaveLength(1)
    expect(discovery.listenerCount('peer:discovery')).toBe(2)
  })
})
