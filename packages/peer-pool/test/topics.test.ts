import { fakeComponents } from '@parley/compliance-tests'
import {
  type Devp2pHost,
  type Devp2pPeer,
  type DiscoveredPeer,
  devp2pHost,
  type PeerDiscovery,
  type PeerDiscoveryEvents,
  peerDiscovery,
  TypedEventEmitter,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { peerPool } from '../src/index.ts'
import { unusedAdmin } from './fakes.ts'

/** A host that connects every dial at once and reports it through `onConnect`, as devp2p does on the bus. */
function acceptingHost(onConnect: (id: string) => void) {
  const connected: Devp2pPeer[] = []
  const dialled: string[] = []
  const host: Devp2pHost = {
    nodeId: 'ee'.repeat(64),
    enode: `enode://${'ee'.repeat(64)}@127.0.0.1:1`,
    registerCapability: () => {},
    dial: async (enode) => {
      dialled.push(enode)
      const id = enode.slice('enode://'.length, 'enode://'.length + 128)
      const peer: Devp2pPeer = {
        id,
        remoteAddress: '127.0.0.1',
        clientId: 'fake',
        send: async () => {},
        disconnect: () => {},
      }
      connected.push(peer)
      onConnect(id)
      return peer
    },
    peers: () => [...connected],
    start: async () => {},
    stop: async () => {},
    ...unusedAdmin,
  }
  return { host, dialled }
}

class ManualDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery {
  readonly source = 'manual'
  #started = false
  async start() {
    this.#started = true
  }
  async stop() {
    this.#started = false
  }
  isStarted() {
    return this.#started
  }
  async findPeers(): Promise<DiscoveredPeer[]> {
    return []
  }
}

const peer = (n: number, capabilities?: string[]): DiscoveredPeer => {
  const id = n.toString(16).padStart(128, '0')
  return { id, enode: `enode://${id}@127.0.0.1:${30000 + n}`, ...(capabilities ? { capabilities } : {}) }
}

describe('peerPool topics', () => {
  it('fills whisper to 3 and whispermail to 1 (status-go defaults), ignoring other tags', async () => {
    const { host, dialled } = acceptingHost((id) =>
      components.events.safeDispatchEvent('peer:connect', { id, overlay: 'devp2p' }),
    )
    const source = new ManualDiscovery()
    const components = fakeComponents({
      services: [
        [devp2pHost, host],
        [peerDiscovery, source],
      ],
    })
    const pool = peerPool({ fastIntervalMs: 50 }).create(components)
    const satisfied: unknown[] = []
    components.events.addEventListener('peerpool:satisfied', (event) => satisfied.push(event.detail))
    await pool.start()
    await expect.poll(() => pool.mode, { timeout: 10_000 }).toBe('fast')
    source.safeDispatchEvent('peer:discovery', peer(1, ['waku2:relay']))
    source.safeDispatchEvent('peer:discovery', peer(2, ['mailserver']))
    source.safeDispatchEvent('peer:discovery', peer(3, ['mailserver']))
    for (const n of [4, 5, 6, 7]) source.safeDispatchEvent('peer:discovery', peer(n))
    await expect.poll(() => pool.peerCounts(), { timeout: 10_000 }).toEqual({ whisper: 3, whispermail: 1 })
    expect(dialled).toEqual([peer(2).enode, peer(4).enode, peer(5).enode, peer(6).enode])
    expect(satisfied).toEqual([{ peers: { whisper: 2, whispermail: 1 } }])
    expect(pool.mode).toBe('suspended')
    expect(source.isStarted()).toBe(false)
    await pool.stop()
  })
})
