import type { ParleyNode } from '@parley/core'
import { devp2pHost, waku1Protocol, whisperProtocol } from '@parley/interfaces'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RpcMessage } from '../src/index.ts'
import { call, callError, connect, enodeOf, hexOf, ready, rpcNode, until, urlOf } from './helpers.ts'

let alice: ParleyNode
let bob: ParleyNode
let aliceUrl: string
let bobUrl: string

// Both nodes run Whisper and Waku v1 side by side, each namespace on its own protocol.
beforeAll(async () => {
  alice = rpcNode('alice', {}, { whisper: true, waku: true })
  bob = rpcNode('bob', {}, { whisper: true, waku: true })
  await alice.start()
  await bob.start()
  await connect(alice, bob, waku1Protocol)
  await ready(alice, bob, whisperProtocol)
  aliceUrl = urlOf(alice)
  bobUrl = urlOf(bob)
})
afterAll(async () => {
  await alice?.stop()
  await bob?.stop()
})

describe('waku_* (status-go) between two Waku v1 nodes', () => {
  it('answers version and info in status-go shapes', async () => {
    expect(await call(aliceUrl, 'waku_version')).toBe('1')
    expect(await call(aliceUrl, 'shh_version')).toBe('6.0')
    const info = await call<Record<string, unknown>>(aliceUrl, 'waku_info')
    expect(Object.keys(info).sort()).toEqual(['maxMessageSize', 'messages', 'minPow'])
    expect(info.minPow).toBe(0.002)
    expect(info.maxMessageSize).toBe(alice.get(waku1Protocol).maxMessageSize)
    const shhInfo = await call<Record<string, unknown>>(aliceUrl, 'shh_info')
    expect(Object.keys(shhInfo).sort()).toEqual(['maxMessageSize', 'memory', 'messages', 'minPow'])
  })

  it('posts over waku/1 and polls the message on the other node', async () => {
    const topic = '0xcafe0001'
    const aliceKey = await call<string>(aliceUrl, 'waku_generateSymKeyFromPassword', ['waku-room'])
    const bobKey = await call<string>(bobUrl, 'waku_generateSymKeyFromPassword', ['waku-room'])
    const filter = await call<string>(bobUrl, 'waku_newMessageFilter', [
      { symKeyID: bobKey, topics: [topic] },
    ])
    const shhFilter = await call<string>(bobUrl, 'shh_generateSymKeyFromPassword', ['waku-room']).then(
      (key) => call<string>(bobUrl, 'shh_newMessageFilter', [{ symKeyID: key, topics: [topic] }]),
    )
    const hash = await call<string>(aliceUrl, 'waku_post', [
      { symKeyID: aliceKey, topic, payload: hexOf('over waku'), ttl: 20, powTarget: 0.002 },
    ])
    const messages: RpcMessage[] = []
    await until(async () => {
      messages.push(...(await call<RpcMessage[]>(bobUrl, 'waku_getFilterMessages', [filter])))
      return messages.length > 0
    }, 'the waku message arrived')
    expect(messages).toMatchObject([{ topic, hash, ttl: 20, payload: hexOf('over waku') }])
    // The key stores are per namespace, and the shh filter saw nothing: it was a waku/1 envelope.
    expect(await call(bobUrl, 'shh_hasSymKey', [bobKey])).toBe(false)
    expect(await call(bobUrl, 'shh_getFilterMessages', [shhFilter])).toEqual([])
    expect(await call(bobUrl, 'waku_deleteMessageFilter', [filter])).toBe(true)
    expect(await callError(bobUrl, 'waku_getFilterMessages', [filter])).toEqual({
      code: -32000,
      message: 'filter not found',
    })
  })

  it('sets the max message size on the protocol, within geth bounds', async () => {
    for (const [namespace, capability] of [
      ['waku', waku1Protocol],
      ['shh', whisperProtocol],
    ] as const) {
      const protocol = alice.get(capability)
      const before = protocol.maxMessageSize
      expect(await call(aliceUrl, `${namespace}_setMaxMessageSize`, [4096])).toBe(true)
      expect(protocol.maxMessageSize).toBe(4096)
      expect((await call<{ maxMessageSize: number }>(aliceUrl, `${namespace}_info`)).maxMessageSize).toBe(
        4096,
      )
      expect(await callError(aliceUrl, `${namespace}_setMaxMessageSize`, [10 * 1024 * 1024 + 1])).toEqual({
        code: -32000,
        message: 'message size too large [10485761>10485760]',
      })
      expect((await callError(aliceUrl, `${namespace}_setMaxMessageSize`, [-1])).code).toBe(-32602)
      expect(protocol.maxMessageSize).toBe(4096)
      // Posts over the limit are refused before sealing.
      const key = await call<string>(aliceUrl, `${namespace}_newSymKey`)
      const big = `0x${'ab'.repeat(5000)}`
      const refused = await callError(aliceUrl, `${namespace}_post`, [
        { symKeyID: key, topic: '0x01020304', payload: big, powTarget: 0.002 },
      ])
      expect(refused.message).toBe('message size too large [5000>4096]')
      await call(aliceUrl, `${namespace}_setMaxMessageSize`, [before])
    }
  })

  it('marks a peer trusted by enode URL, on the namespace it was called in', async () => {
    const bobId = bob.get(devp2pHost).nodeId
    expect(alice.get(waku1Protocol).isTrustedPeer(bobId)).toBe(false)
    expect(await call(aliceUrl, 'waku_markTrustedPeer', [enodeOf(bob)])).toBe(true)
    expect(alice.get(waku1Protocol).isTrustedPeer(bobId)).toBe(true)
    expect(alice.get(whisperProtocol).isTrustedPeer(bobId)).toBe(false)
    // A peer not connected yet may be trusted too (only the id matters).
    const carolId = `enode://${enodeOf(alice).slice(8, 136)}`
    expect(await call(bobUrl, 'shh_markTrustedPeer', [carolId])).toBe(true)
    expect(bob.get(whisperProtocol).isTrustedPeer(alice.get(devp2pHost).nodeId)).toBe(true)
  })

  it("refuses bad enode URLs with go-ethereum's enode.Parse texts", async () => {
    expect(await callError(aliceUrl, 'waku_markTrustedPeer', ['http://x'])).toEqual({
      code: -32000,
      message: 'invalid URL scheme, want "enode"',
    })
    expect(await callError(aliceUrl, 'shh_markTrustedPeer', ['enode://abcd@127.0.0.1:1'])).toEqual({
      code: -32000,
      message: 'invalid public key (wrong length, want 128 hex chars)',
    })
    const offCurve = `enode://${'00'.repeat(64)}@127.0.0.1:30303`
    expect((await callError(aliceUrl, 'shh_markTrustedPeer', [offCurve])).message).toMatch(
      /invalid public key/,
    )
    expect((await callError(aliceUrl, 'waku_markTrustedPeer', [7])).code).toBe(-32602)
  })

  it('sends a direct p2p message to targetPeer; only allowP2P filters of a trusting node see it', async () => {
    const topic = '0xcafe0002'
    const aliceKey = await call<string>(aliceUrl, 'waku_generateSymKeyFromPassword', ['direct'])
    const bobKey = await call<string>(bobUrl, 'waku_generateSymKeyFromPassword', ['direct'])
    const direct = await call<string>(bobUrl, 'waku_newMessageFilter', [
      { symKeyID: bobKey, topics: [topic], allowP2P: true },
    ])
    const relayed = await call<string>(bobUrl, 'waku_newMessageFilter', [
      { symKeyID: bobKey, topics: [topic] },
    ])
    expect(await call(bobUrl, 'waku_markTrustedPeer', [enodeOf(alice)])).toBe(true)
    const hash = await call<string>(aliceUrl, 'waku_post', [
      // Below the node's minimum PoW: a message for one peer skips that check, as in geth.
      { symKeyID: aliceKey, topic, payload: hexOf('just for bob'), targetPeer: enodeOf(bob), powTarget: 0 },
    ])
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/)
    const messages: RpcMessage[] = []
    await until(async () => {
      messages.push(...(await call<RpcMessage[]>(bobUrl, 'waku_getFilterMessages', [direct])))
      return messages.length > 0
    }, 'the direct message arrived')
    expect(messages).toMatchObject([{ topic, hash, payload: hexOf('just for bob'), bool: true }])
    expect(await call(bobUrl, 'waku_getFilterMessages', [relayed])).toEqual([])

    const unparsable = await callError(aliceUrl, 'waku_post', [
      { symKeyID: aliceKey, topic, payload: '0x01', targetPeer: 'enode://12@1.2.3.4:5' },
    ])
    expect(unparsable.message).toBe(
      'failed to parse target peer: invalid public key (wrong length, want 128 hex chars)',
    )
  })
})
