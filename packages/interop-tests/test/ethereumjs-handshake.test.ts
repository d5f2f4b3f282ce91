/** RLPx against @ethereumjs/devp2p: the EIP-8 handshake and Hello in both directions, and capability matching. */
import type { ParleyNode } from '@parley/core'
import { devp2pHost } from '@parley/interfaces'
import type { Devp2pHostPeer } from '@parley/transport-devp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { type TheirCapability, TheirNode } from './ethereumjs-peer.ts'
import { type OurProtocol, ourEnode, ourId, ourNode } from './parley-node.ts'

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanup.map((stop) => stop()))
  cleanup = []
})

async function pair(
  ourProtocols: OurProtocol[],
  theirCapabilities: TheirCapability[],
): Promise<{ node: ParleyNode; their: TheirNode }> {
  const node = ourNode('handshake', ourProtocols)
  const their = new TheirNode({ capabilities: theirCapabilities, status: {} })
  cleanup.push(
    () => node.stop(),
    () => their.stop(),
  )
  await Promise.all([node.start(), their.listen()])
  return { node, their }
}

/** Our host's view of the connection to their node, once it exists. */
async function ourPeer(node: ParleyNode, theirId: string): Promise<Devp2pHostPeer> {
  const host = node.get(devp2pHost)
  const deadline = Date.now() + 10_000
  for (;;) {
    const peer = host.peers().find((candidate) => candidate.id === theirId)
    if (peer !== undefined) return peer as Devp2pHostPeer
    if (Date.now() > deadline) throw new Error('our host never saw their peer')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('RLPx handshake and Hello with @ethereumjs/devp2p', () => {
  it('they dial us: both sides authenticate each other and share shh/6 at 0x10', async () => {
    const { node, their } = await pair(['shh'], ['shh'])
    await their.dial(ourEnode(node))
    const theirView = await their.peer(ourId(node))
    const ourView = await ourPeer(node, their.id)

    expect(theirView.getHelloMessage()?.clientId).toBe('parley/handshake')
    expect(theirView.getHelloMessage()?.protocolVersion).toBe(5)
    expect(their.shared(theirView)).toEqual(['shh/6 @ 0x10'])
    expect(ourView.clientId).toBe('ethereumjs-devp2p/interop')
    expect(ourView.direction).toBe('inbound')
    expect(ourView.capabilities.map((c) => `${c.name}/${c.version} @ 0x${c.offset.toString(16)}`)).toEqual([
      'shh/6 @ 0x10',
    ])
  })

  it('we dial them: the same, with us as the initiator', async () => {
    const { node, their } = await pair(['waku'], ['waku'])
    await node.get(devp2pHost).dial(their.enode)
    const theirView = await their.peer(ourId(node))
    const ourView = await ourPeer(node, their.id)

    expect(ourView.direction).toBe('outbound')
    expect(their.shared(theirView)).toEqual(['waku/1 @ 0x10'])
    expect(ourView.capabilities.map((c) => `${c.name}/${c.version} @ 0x${c.offset.toString(16)}`)).toEqual([
      'waku/1 @ 0x10',
    ])
  })

  it('both sides agree which capabilities are shared and where each one starts', async () => {
    // They offer shh/6 and waku/1, we only waku/1: waku/1 alone, at 0x10 on both sides.
    const { node, their } = await pair(['waku'], ['shh', 'waku'])
    await their.dial(ourEnode(node))
    expect(their.shared(await their.peer(ourId(node)))).toEqual(['waku/1 @ 0x10'])
    const ourView = await ourPeer(node, their.id)
    expect(ourView.capabilities.map((c) => `${c.name}/${c.version} @ 0x${c.offset.toString(16)}`)).toEqual([
      'waku/1 @ 0x10',
    ])

    // Both offered: sorted by name, 128 codes each, so waku/1 starts at 0x90 on both sides.
    const both = await pair(['shh', 'waku'], ['shh', 'waku'])
    await both.node.get(devp2pHost).dial(both.their.enode)
    expect(both.their.shared(await both.their.peer(ourId(both.node)))).toEqual([
      'shh/6 @ 0x10',
      'waku/1 @ 0x90',
    ])
    const ourBoth = await ourPeer(both.node, both.their.id)
    expect(ourBoth.capabilities.map((c) => `${c.name}/${c.version} @ 0x${c.offset.toString(16)}`)).toEqual([
      'shh/6 @ 0x10',
      'waku/1 @ 0x90',
    ])
  })
})
