import type { ParleyNode } from '@parley/core'
import { devp2pHost, waku1Protocol, whisperProtocol } from '@parley/interfaces'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, callError, enodeOf, rpcNode, startRpcPair, until, urlOf } from './helpers.ts'

let alice: ParleyNode
let bob: ParleyNode
let aliceUrl: string
let bobUrl: string

beforeAll(async () => {
  ;({ alice, bob, aliceUrl, bobUrl } = await startRpcPair())
})
afterAll(async () => {
  await alice?.stop()
  await bob?.stop()
})

interface PeerInfo {
  id: string
  name: string
  enode: string
  caps: string[]
  network: {
    inbound: boolean
    static: boolean
    trusted: boolean
    localAddress: string
    remoteAddress: string
  }
  protocols: Record<string, unknown>
}

describe("admin_* (geth's peer calls) on the devp2p host", () => {
  it('admin_nodeInfo gives the enode URL and the listen address', async () => {
    const info = await call<Record<string, unknown>>(aliceUrl, 'admin_nodeInfo')
    const port = Number(new URL(enodeOf(alice)).port)
    expect(info).toMatchObject({
      id: alice.get(devp2pHost).nodeId,
      name: 'alice',
      enode: enodeOf(alice),
      ip: '127.0.0.1',
      ports: { discovery: port, listener: port },
      listenAddr: `127.0.0.1:${port}`,
    })
    // go-ethereum whisperv6's NodeInfo.
    expect(info.protocols).toEqual({
      shh: { version: '6.0', maxMessageSize: 1024 * 1024, minimumPoW: 0.002 },
    })
  })

  it("admin_nodeInfo.protocols.waku is status-go's NodeInfo", async () => {
    const node = rpcNode('carol', {}, { waku: true })
    await node.start()
    try {
      const info = await call<{ protocols: Record<string, unknown> }>(urlOf(node), 'admin_nodeInfo')
      expect(info.protocols).toEqual({
        waku: { version: '1.0', maxMessageSize: node.get(waku1Protocol).maxMessageSize, minimumPoW: 0.002 },
      })
    } finally {
      await node.stop()
    }
  })

  it('admin_addPeer connects a static peer that admin_peers then lists; admin_removePeer drops it', async () => {
    expect(await call(aliceUrl, 'admin_peers')).toEqual([])
    expect(await call(aliceUrl, 'admin_addPeer', [enodeOf(bob)])).toBe(true)
    await until(async () => (await call<PeerInfo[]>(bobUrl, 'admin_peers')).length === 1, 'bob sees alice')
    await until(async () => (await call<PeerInfo[]>(aliceUrl, 'admin_peers')).length === 1, 'alice sees bob')

    const [ofBob] = await call<PeerInfo[]>(aliceUrl, 'admin_peers')
    expect(ofBob).toMatchObject({
      id: bob.get(devp2pHost).nodeId,
      name: 'bob',
      enode: enodeOf(bob),
      caps: ['shh/6'],
      network: { inbound: false, static: true, trusted: false },
    })
    // What bob's Status said, and whether alice trusts him (a mailserver would be).
    await until(() => alice.get(whisperProtocol).readyPeers().length === 1, 'alice accepted bob')
    expect(ofBob?.protocols.shh).toEqual({
      version: '6.0',
      pow: 0.002,
      lightNode: false,
      trusted: false,
      bloom: `0x${'ff'.repeat(64)}`,
    })
    alice.get(whisperProtocol).markTrustedPeer(bob.get(devp2pHost).nodeId)
    const [trusted] = await call<PeerInfo[]>(aliceUrl, 'admin_peers')
    expect(trusted?.protocols.shh).toMatchObject({ trusted: true })
    const [ofAlice] = await call<PeerInfo[]>(bobUrl, 'admin_peers')
    expect(ofAlice?.network).toMatchObject({ inbound: true, static: false })
    expect(ofAlice?.network.remoteAddress).toBe(ofBob?.network.localAddress)

    expect(await call(aliceUrl, 'admin_removePeer', [enodeOf(bob)])).toBe(true)
    await until(async () => (await call<PeerInfo[]>(bobUrl, 'admin_peers')).length === 0, 'disconnected')
    expect(await call(aliceUrl, 'admin_removePeer', [enodeOf(bob)])).toBe(false)
  })

  it("refuses bad URLs with geth's 'invalid enode' and bad arguments with -32602", async () => {
    const bad = await callError(aliceUrl, 'admin_addPeer', ['enode://nope@127.0.0.1:1'])
    expect(bad.code).toBe(-32000)
    expect(bad.message).toMatch(/^invalid enode: /)
    expect((await callError(aliceUrl, 'admin_removePeer', ['http://127.0.0.1'])).message).toMatch(
      /^invalid enode: /,
    )
    expect((await callError(aliceUrl, 'admin_addPeer', [enodeOf(alice)])).message).toBe(
      'invalid enode: a node cannot add itself',
    )
    expect((await callError(aliceUrl, 'admin_addPeer', [])).code).toBe(-32602)
    expect((await callError(aliceUrl, 'admin_peers', [1])).code).toBe(-32602)
  })
})
