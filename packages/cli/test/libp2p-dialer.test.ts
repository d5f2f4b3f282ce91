import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { type Libp2pDialer, libp2pDialer } from '../src/node/libp2p-dialer.ts'

const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const running: ParleyNode[] = []

async function node(name: string, services: Parameters<typeof createNode>[0] = {}): Promise<ParleyNode> {
  const created = createNode({
    name,
    transports: [libp2p({ listen: LISTEN })],
    logger: { level: 'silent' },
    ...services,
  })
  await created.start()
  running.push(created)
  return created
}
const host = (of: ParleyNode) => of.get(libp2pHost) as Libp2pHostService

/** Polls `condition` for up to `ms`: generous, since a busy machine takes seconds to connect. */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((each) => each.stop()))
})

describe('libp2pDialer', () => {
  it('dials Waku peers of the sources it follows, and ignores other sources and devp2p peers', async () => {
    const peer = await node('peer')
    const dialer = await node('dialer', {
      services: { dialer: libp2pDialer({ sources: ['dns'], maxPeers: 10 }) },
    })
    const [address = ''] = host(peer).multiaddrs()
    const id = host(peer).peerId
    const report = (source: string, overlay: 'libp2p' | 'devp2p') =>
      dialer.events.safeDispatchEvent('peer:discovery', { id, source, overlay, multiaddrs: [address] })
    report('discv5', 'libp2p')
    report('dns', 'devp2p')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(host(dialer).connectedPeers()).not.toContain(id)
    report('dns', 'libp2p')
    await until(() => host(dialer).connectedPeers().includes(id))
  })

  it('dials nothing once stopped', async () => {
    const peer = await node('peer')
    const dialer = await node('dialer', {
      services: { dialer: libp2pDialer({ sources: ['dns'], maxPeers: 10 }) },
    })
    const service = dialer.service<Libp2pDialer>('dialer')
    await service.stop()
    expect(service.isStarted?.()).toBe(false)
    const [address = ''] = host(peer).multiaddrs()
    const id = host(peer).peerId
    dialer.events.safeDispatchEvent('peer:discovery', {
      id,
      source: 'dns',
      overlay: 'libp2p',
      multiaddrs: [address],
    })
    expect(service.pending).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(host(dialer).connectedPeers()).not.toContain(id)
  })
})
