import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fakeComponents } from '@parley/compliance-tests'
import type { ParleyNode } from '@parley/core'
import { whisperProtocol } from '@parley/interfaces'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { jsonRpc } from '../src/index.ts'
import { connect, hexOf, post, rpcNode, rpcServer, until, urlOf } from './helpers.ts'
import { WsClient } from './ws-client.ts'

let alice: ParleyNode
let bob: ParleyNode
let bobWs: string
const clients: WsClient[] = []

beforeAll(async () => {
  alice = rpcNode('alice', { wsPort: 0 })
  bob = rpcNode('bob', { wsPort: 0, cors: ['https://chat.example'] })
  await alice.start()
  await bob.start()
  await connect(alice, bob)
  bobWs = rpcServer(bob).wsUrl()!
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await alice?.stop()
  await bob?.stop()
})

async function client(url: string, origin?: string): Promise<WsClient> {
  const made = await WsClient.connect(url, origin)
  clients.push(made)
  return made
}

describe('JSON-RPC over WebSocket', () => {
  it('listens on its own port and serves the same methods, batches included', async () => {
    const server = rpcServer(alice)
    expect(server.wsAddress()?.port).not.toBe(server.address()?.port)
    expect(server.wsUrl()).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/)
    const ws = await client(server.wsUrl()!)
    expect(await ws.call('shh_version')).toBe('6.0')
    const key = await ws.call<string>('shh_newSymKey')
    // The same key store as HTTP: a key made over WebSocket is visible there.
    const overHttp = await post(urlOf(alice), {
      jsonrpc: '2.0',
      id: 9,
      method: 'shh_hasSymKey',
      params: [key],
    })
    expect(overHttp.json).toMatchObject({ result: true })
    const batch = await ws.raw(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'shh_hasSymKey', params: [key] },
        { jsonrpc: '2.0', method: 'shh_newSymKey' },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
      ]),
    )
    expect(batch).toMatchObject([
      { id: 1, result: true },
      { id: 2, error: { code: -32601 } },
    ])
    expect(await ws.raw('{not json')).toMatchObject({ id: null, error: { code: -32700 } })
  })

  it('pushes shh_subscription notifications for messages from another node, until unsubscribed', async () => {
    const topic = '0x5eb50001'
    const ws = await client(bobWs)
    const bobKey = await ws.call<string>('shh_generateSymKeyFromPassword', ['ws-room'])
    const id = await ws.call<string>('shh_subscribe', ['messages', { symKeyID: bobKey, topics: [topic] }])
    expect(id).toMatch(/^0x[0-9a-f]{32}$/)

    const aliceWs = await client(rpcServer(alice).wsUrl()!)
    const aliceKey = await aliceWs.call<string>('shh_generateSymKeyFromPassword', ['ws-room'])
    const send = (text: string) =>
      aliceWs.call<string>('shh_post', [
        { symKeyID: aliceKey, topic, payload: hexOf(text), powTarget: 0.002 },
      ])
    const hash = await send('pushed')
    await until(() => ws.notifications.length === 1, 'the notification arrived')
    expect(ws.notifications[0]).toEqual({
      jsonrpc: '2.0',
      method: 'shh_subscription',
      params: {
        subscription: id,
        result: expect.objectContaining({ topic, hash, payload: hexOf('pushed') }),
      },
    })

    expect(await ws.call('shh_unsubscribe', [id])).toBe(true)
    expect(await ws.request('shh_unsubscribe', [id])).toMatchObject({
      error: { code: -32000, message: 'subscription not found' },
    })
    await send('after unsubscribe')
    // A marker through a second subscription shows the first one stayed quiet meanwhile.
    const marker = await ws.call<string>('shh_subscribe', ['messages', { symKeyID: bobKey, topics: [topic] }])
    await send('marker')
    await until(() => ws.notifications.length === 2, 'the marker arrived')
    expect(ws.notifications[1]?.params.subscription).toBe(marker)
  })

  it("answers subscription mistakes with geth's errors, and HTTP callers with 'notifications not supported'", async () => {
    const ws = await client(bobWs)
    expect(await ws.request('shh_subscribe', ['logs', {}])).toMatchObject({
      error: { code: -32601, message: 'no "logs" subscription in shh namespace' },
    })
    expect(await ws.request('shh_subscribe', [])).toMatchObject({
      error: { code: -32602, message: 'expected subscription name as first argument' },
    })
    expect(
      await ws.request('shh_subscribe', ['messages', { symKeyID: 'x', topics: ['0x01'] }]),
    ).toMatchObject({
      error: { code: -32000, message: 'non-existent key ID' },
    })
    const overHttp = await post(urlOf(bob), {
      jsonrpc: '2.0',
      id: 1,
      method: 'shh_subscribe',
      params: ['messages', {}],
    })
    expect(overHttp.json).toMatchObject({ error: { code: -32601, message: 'notifications not supported' } })
  })

  it('checks the Origin of upgrades against the allow-list (geth --ws.origins)', async () => {
    const allowed = await client(bobWs, 'https://chat.example')
    expect(await allowed.call('shh_version')).toBe('6.0')
    const refused = new WebSocket(bobWs, { origin: 'https://evil.example' })
    const status = await new Promise<number | undefined>((resolve) => {
      refused.on('unexpected-response', (_request, response) => resolve(response.statusCode))
      refused.on('open', () => resolve(undefined))
      refused.on('error', () => undefined)
    })
    expect(status).toBe(403)
    refused.terminate()
    // Without an allow-list only localhost pages may connect; non-browsers (no Origin) always may.
    const aliceWs = rpcServer(alice).wsUrl()!
    expect(await (await client(aliceWs, 'http://localhost:3000')).call('shh_version')).toBe('6.0')
    const foreign = new WebSocket(aliceWs, { origin: 'https://chat.example' })
    const foreignStatus = await new Promise<number | undefined>((resolve) => {
      foreign.on('unexpected-response', (_request, response) => resolve(response.statusCode))
      foreign.on('open', () => resolve(undefined))
      foreign.on('error', () => undefined)
    })
    expect(foreignStatus).toBe(403)
    foreign.terminate()
  })

  it('shares the HTTP server when wsPort equals port, and answers plain HTTP on a WebSocket-only port with 426', async () => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1')
    await once(probe, 'listening')
    const { port } = probe.address() as AddressInfo
    await new Promise((resolve) => probe.close(resolve))
    const shared = jsonRpc({ port, wsPort: port }).create(fakeComponents({ stubs: [whisperProtocol] }))
    await shared.start()
    try {
      expect(shared.wsAddress()).toEqual(shared.address())
      const ws = await client(shared.wsUrl()!)
      expect(await ws.call('rpc_modules')).toEqual({ shh: '1.0' })
      await ws.close()
    } finally {
      await shared.stop()
    }
    const plain = await fetch(rpcServer(alice).wsUrl()!.replace('ws:', 'http:'), {
      method: 'POST',
      body: '{}',
    })
    expect(plain.status).toBe(426)
    await plain.text()
  })
})
