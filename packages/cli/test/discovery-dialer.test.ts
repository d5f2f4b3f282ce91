import { createNode } from '@parley/core'
import {
  type AbortOptions,
  type Devp2pHost,
  type Devp2pPeer,
  devp2pHost,
  type ParleyEvents,
  type Plugin,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type DiscoveryDialer, discoveryDialer } from '../src/node/discovery-dialer.ts'

/** A devp2p host that records dials and refuses them when the test says so. */
function fakeHost(connected: string[] = []) {
  const dials: Array<{ enode: string; signal?: AbortSignal; refuse: () => void }> = []
  const host: Devp2pHost = {
    nodeId: 'f'.repeat(128),
    enode: 'enode://self@127.0.0.1:1',
    registerCapability: () => {},
    peers: () => connected.map((id) => ({ id }) as Devp2pPeer),
    dial: (enode: string, options: AbortOptions = {}) =>
      new Promise<Devp2pPeer>((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason))
        dials.push({ enode, signal: options.signal, refuse: () => reject(new Error('refused')) })
      }),
    addPeer: () => {},
    removePeer: () => false,
    peerInfo: () => [],
    nodeInfo: () => {
      throw new Error('not used by the dialer')
    },
    start: () => {},
    stop: () => {},
  }
  const plugin: Plugin<Devp2pHost> = { name: 'fake-devp2p', provides: [devp2pHost], create: () => host }
  return { plugin, dials }
}

const id = (n: number) => n.toString(16).padStart(128, '0')
const found = (n: number, source = 'dns'): ParleyEvents['peer:discovery'] => ({
  id: id(n),
  overlay: 'devp2p',
  source,
  enode: `enode://${id(n)}@127.0.0.1:${30000 + n}`,
})

async function setup(init: { maxPeers: number; maxPending?: number }, connected: string[] = []) {
  const { plugin, dials } = fakeHost(connected)
  const node = createNode({
    transports: [plugin],
    services: { dialer: discoveryDialer({ sources: ['dns'], ...init }) },
    logger: { level: 'silent' },
  })
  await node.start()
  const announce = (peer: ParleyEvents['peer:discovery']) =>
    node.events.dispatchEvent(new CustomEvent('peer:discovery', { detail: peer }))
  return { node, dials, announce, dialer: node.service<DiscoveryDialer>('dialer') }
}

describe('discoveryDialer', () => {
  it('dials enodes from its sources once each, and skips peers already connected', async () => {
    const { node, dials, announce } = await setup({ maxPeers: 25 }, [id(3)])
    announce(found(1))
    announce(found(1))
    announce(found(2, 'static'))
    announce({ ...found(4), enode: undefined })
    announce(found(3))
    expect(dials.map((dial) => dial.enode)).toEqual([found(1).enode])
    await node.stop()
  })

  it('keeps dials in flight under maxPending and below maxPeers', async () => {
    const few = await setup({ maxPeers: 25, maxPending: 2 })
    for (let n = 1; n <= 5; n++) few.announce(found(n))
    expect(few.dials).toHaveLength(2)
    few.dials[0]?.refuse()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(few.dialer.pending).toBe(1)
    few.announce(found(6))
    expect(few.dials).toHaveLength(3)
    await few.node.stop()

    const full = await setup({ maxPeers: 2 }, [id(10)])
    for (let n = 1; n <= 5; n++) full.announce(found(n))
    expect(full.dials).toHaveLength(1)
    await full.node.stop()
  })

  it('aborts dials in flight at stop and ignores discoveries while stopped', async () => {
    const { node, dials, announce, dialer } = await setup({ maxPeers: 25 })
    announce(found(1))
    await node.stop()
    expect(dials[0]?.signal?.aborted).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(dialer.pending).toBe(0)
    announce(found(2))
    expect(dials).toHaveLength(1)
  })
})
