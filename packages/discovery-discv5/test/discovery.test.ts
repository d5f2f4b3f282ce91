import { ENR } from '@chainsafe/enr'
import type { ParleyEvents } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { WAKU_PROTOCOL_ID } from '../src/index.ts'
import { createNode, idOf, knows, startNode, stopAll, waitFor } from './fixtures.ts'

afterEach(stopAll)

const enodePort = (enr: string | undefined) => ENR.decodeTxt(enr ?? '').udp

describe('discv5 on loopback UDP', () => {
  it('four nodes find each other from one bootstrap record', async () => {
    const boot = await startNode({ tcp: 30303 })
    const others = await Promise.all(
      [1, 2, 3].map(() => startNode({ tcp: 30303, bootstrap: [boot.discovery.enr] })),
    )
    const all = [boot, ...others]
    await waitFor(
      () => all.every((a) => all.every((b) => a === b || knows(a, b))),
      'everyone to know everyone',
    )
    const first = others[0]!
    expect(first.discovery.peers.map((peer) => peer.id).sort()).toEqual(
      all
        .filter((node) => node !== first)
        .map(idOf)
        .sort(),
    )
    for (const peer of first.discovery.peers)
      expect(peer.enode).toBe(`enode://${peer.id}@127.0.0.1:30303?discport=${enodePort(peer.enr)}`)
    const reported: ParleyEvents['peer:discovery'][] = []
    const fresh = createNode({ bootstrap: [boot.discovery.enr] })
    fresh.components.events.addEventListener('peer:discovery', (event) => reported.push(event.detail))
    await fresh.discovery.start()
    await waitFor(() => reported.length === 4, 'node-wide events for the four others')
    expect(reported.every((event) => event.source === 'discv5' && event.overlay === 'devp2p')).toBe(true)
    expect(reported.map((event) => event.id).sort()).toEqual(all.map(idOf).sort())
  })

  it('counts the UDP bytes of its packets as parley_discovery_bytes_total{source="discv5"}', async () => {
    const boot = await startNode()
    const node = await startNode({ bootstrap: [boot.discovery.enr] })
    const bytes = (of: typeof node, direction: string) =>
      of.components.recorded.get(`parley_discovery_bytes_total{source="discv5",direction="${direction}"}`) ??
      0
    const lookups = (of: typeof node) =>
      of.components.recorded.get('parley_discv5_lookups_total{result="ok"}') ?? 0
    await waitFor(() => knows(boot, node) && lookups(node) >= 2, 'the pair to talk')
    // The handshake carries the initiator's record, which the boot node did not have.
    expect(bytes(boot, 'in')).toBeGreaterThan(ENR.decodeTxt(node.discovery.enr).encode().length)
    // At least a WHOAREYOU (63 bytes, the smallest packet) and a response came back to the node.
    expect(bytes(node, 'in')).toBeGreaterThan(2 * 63)
    for (const of of [node, boot]) expect(bytes(of, 'out')).toBeGreaterThan(2 * 63)
    await node.discovery.stop()
    await boot.discovery.stop()
    // On loopback nothing is lost, so what one sent the other received (give or take the packets
    // still in flight when the first one stopped).
    const slack = 2 * 1280
    expect(Math.abs(bytes(node, 'out') - bytes(boot, 'in'))).toBeLessThanOrEqual(slack)
    expect(Math.abs(bytes(boot, 'out') - bytes(node, 'in'))).toBeLessThanOrEqual(slack)
  })

  it('d5waku nodes understand each other and not discv5 nodes', async () => {
    const wakuBoot = await startNode({ protocolId: WAKU_PROTOCOL_ID, waku2: ['relay'] })
    const ethBoot = await startNode()
    const waku = await startNode({
      protocolId: WAKU_PROTOCOL_ID,
      waku2: ['relay'],
      bootstrap: [wakuBoot.discovery.enr, ethBoot.discovery.enr],
    })
    const eth = await startNode({ bootstrap: [wakuBoot.discovery.enr, ethBoot.discovery.enr] })
    await waitFor(() => knows(waku, wakuBoot) && knows(wakuBoot, waku), 'the d5waku pair')
    await waitFor(() => knows(eth, ethBoot) && knows(ethBoot, eth), 'the discv5 pair')
    // Give the cross-protocol packets time to be dropped as undecodable.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(knows(wakuBoot, eth)).toBe(false)
    expect(knows(ethBoot, waku)).toBe(false)
  })
})
