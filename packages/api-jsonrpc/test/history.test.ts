/**
 * History over HTTP with real nodes on loopback: a mailserver node archives its own live posts
 * (made through `waku_post` with a short TTL); once they expired, a client node that runs the
 * mailserver client asks for them with `wakuext_requestMessages` and reads them from a filter
 * created with `allowP2P: true`; `parley_historyStatus` says how it went.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { messageArchive } from '@parley/interfaces'
import { mailserver, mailserverClient } from '@parley/mailserver'
import { waku1 } from '@parley/protocol-waku1'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRpc, type RpcMessage } from '../src/index.ts'
import { call, callError, enodeOf, hexOf, until, urlOf } from './helpers.ts'

const T = '0xfeedbeef'
const now = () => Math.floor(Date.now() / 1000)
/** seconds the server's own posts live; not 1 s, which a stall on a busy machine could outlast before they are archived */
const TTL = 3
let server: ParleyNode
let client: ParleyNode
let clientUrl: string

beforeAll(async () => {
  server = createNode({
    name: 'mailserver',
    transports: [devp2p({ port: 0, clientId: 'mailserver' })],
    protocols: [waku1({ minPow: 0.002 })],
    store: memoryStore(),
    services: { mailserver: mailserver({ rateLimit: false }), rpc: jsonRpc({ port: 0 }) },
    logger: { level: 'silent' },
  })
  await server.start()
  const serverUrl = urlOf(server)
  const key = await call<string>(serverUrl, 'waku_generateSymKeyFromPassword', ['chat'])
  for (const text of ['missed one', 'missed two'])
    await call(serverUrl, 'waku_post', [
      { symKeyID: key, topic: T, payload: hexOf(text), ttl: TTL, powTarget: 0.002 },
    ])
  // Sent at this second or before: expired (expiry < now, in whole seconds) once past `sentBy + TTL`.
  const sentBy = now()
  await until(async () => (await server.get(messageArchive).count()) === 2, 'own posts archived')
  // Expired: only the archive has them now.
  while (now() <= sentBy + TTL) await new Promise((resolve) => setTimeout(resolve, 100))

  client = createNode({
    name: 'client',
    transports: [devp2p({ port: 0, clientId: 'client' })],
    protocols: [waku1({ minPow: 0.002 })],
    services: {
      // Generous timeouts: a busy machine must not turn a slow answer into a timeout.
      history: mailserverClient({ mailservers: [enodeOf(server)], maxFailures: 1, requestTimeoutMs: 10_000 }),
      rpc: jsonRpc({ port: 0 }),
    },
    logger: { level: 'silent' },
  })
  await client.start()
  clientUrl = urlOf(client)
})
afterAll(async () => {
  await client?.stop()
  await server?.stop()
})

describe('wakuext_requestMessages and parley_historyStatus', () => {
  it('fetches the history into an allowP2P filter and answers the request id', async () => {
    const chatKey = await call<string>(clientUrl, 'waku_generateSymKeyFromPassword', ['chat'])
    const filter = await call<string>(clientUrl, 'waku_newMessageFilter', [
      { symKeyID: chatKey, topics: [T], allowP2P: true },
    ])
    const mailKey = await call<string>(clientUrl, 'waku_generateSymKeyFromPassword', ['status-offline-inbox'])
    const to = now()
    const requestId = await call<string>(clientUrl, 'wakuext_requestMessages', [
      {
        mailServerPeer: enodeOf(server),
        symKeyID: mailKey,
        topics: [T],
        from: to - 60,
        to,
        limit: 10,
        timeout: 10,
      },
    ])
    expect(requestId).toMatch(/^0x[0-9a-f]{64}$/)
    const messages = await call<RpcMessage[]>(clientUrl, 'waku_getFilterMessages', [filter])
    const seen = messages.map((m) => [m.payload, m.hash, m.bool])
    expect(
      messages.every((m) => m.bool === true),
      JSON.stringify(seen),
    ).toBe(true)
    expect(messages.map((m) => m.payload).sort(), JSON.stringify(seen)).toEqual([
      hexOf('missed one'),
      hexOf('missed two'),
    ])
    expect(await call(clientUrl, 'parley_historyStatus', [[T]])).toEqual([
      {
        topic: T,
        syncedTo: to,
        lastAttemptAt: expect.any(Number),
        lastError: null,
        mailserver: enodeOf(server),
      },
    ])
  })

  it("refuses status-go's bad requests: unknown symKeyID, from > to, a bad enode", async () => {
    const request = { mailServerPeer: enodeOf(server), topics: [T] }
    expect(
      (await callError(clientUrl, 'wakuext_requestMessages', [{ ...request, symKeyID: 'nope' }])).message,
    ).toMatch(/^invalid symKeyID value/)
    const backwards = await callError(clientUrl, 'wakuext_requestMessages', [
      { ...request, from: 200, to: 100 },
    ])
    expect(backwards.message).toBe('Query range is invalid: from > to (200 > 100)')
    const badPeer = await callError(clientUrl, 'wakuext_requestMessages', [
      { ...request, mailServerPeer: 'enode://x' },
    ])
    expect(badPeer.message).toMatch(/not an enode URL/)
    expect((await callError(clientUrl, 'wakuext_requestMessages', [])).code).toBe(-32602)
  })

  it('without symKeyID the request is sealed to the node key; a password-only mailserver refuses it', async () => {
    const topic = '0x0badf00d'
    const failed = await callError(clientUrl, 'wakuext_requestMessages', [
      { mailServerPeer: enodeOf(server), topics: [topic], timeout: 10 },
    ])
    expect(failed.code).toBe(-32000)
    expect(failed.message).toMatch(/no mailserver served the page/)
    const [status] = await call<Array<Record<string, unknown>>>(clientUrl, 'parley_historyStatus', [[topic]])
    expect(status).toMatchObject({ topic, syncedTo: null, mailserver: null })
    expect(status?.lastError).toMatch(/failed to decrypt/)
  })

  it('lists the extension namespaces in rpc_modules; only the protocols present get one', async () => {
    const modules = await call<Record<string, string>>(clientUrl, 'rpc_modules')
    expect(Object.keys(modules).sort()).toEqual(['admin', 'parley', 'waku', 'wakuext'])
  })
})
