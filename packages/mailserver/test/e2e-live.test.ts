/**
 * End to end over loopback TCP, with the archive filled by live traffic only: the mailserver
 * archives what its Waku v1 accepts (`envelope:accepted`), a sender posts while the client is
 * offline, and the client, joining after the envelopes expired, fetches them through its plugin.
 * Also the `HistoryClient` options: a named mailserver, `maxPages` and resuming at the cursor.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import { topicFromName, topicToHex } from '@parley/envelope'
import {
  devp2pHost,
  historyClient,
  messageArchive,
  type ReceivedMessage,
  waku1Protocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeRequestCompletePayload,
  encodeMessagesRequest,
  type HistorySyncedDetail,
  mailserver,
  mailserverClient,
} from '../src/index.ts'
import { until } from './helpers.ts'

const T = topicToHex(topicFromName('parley-live'))
const TTL = 3
const now = () => Math.floor(Date.now() / 1000)
const enodeOf = (node: ParleyNode): string => node.get(devp2pHost).enode!
let nodes: ParleyNode[] = []
const shared: ParleyNode[] = []
let live: { server: ParleyNode; posted: string[] }
beforeAll(async () => {
  live = await liveHistory(3)
}, 30_000)
afterAll(async () => {
  await Promise.all(shared.map((node) => node.stop()))
})
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

/** A started Waku v1 node on loopback, stopped after the test (or after all, with `list = shared`). */
async function started(
  name: string,
  extra: Partial<Parameters<typeof createNode>[0]> = {},
  list: ParleyNode[] = nodes,
) {
  const node = createNode({
    name,
    transports: [devp2p({ port: 0, clientId: name })],
    protocols: [waku1({ minPow: 0.002 })],
    logger: { level: 'silent' },
    ...extra,
  })
  list.push(node)
  await node.start()
  return node
}

/**
 * The mailserver the tests share: it archived, from live traffic, `count` envelopes a sender posted
 * with a short TTL, which have expired since. The TTL is 3 s, not 1 s: an envelope is refused once
 * expired, and on a loaded machine the mailserver may get to one a second or more after it was sealed.
 */
async function liveHistory(count: number) {
  const server = await started(
    'mailserver',
    { store: memoryStore(), services: { mailserver: mailserver({ rateLimit: false }) } },
    shared,
  )
  const sender = await started('sender', {}, shared)
  await sender.get(devp2pHost).dial(enodeOf(server))
  await until(() => sender.get(waku1Protocol).readyPeers().length === 1, 'sender connected')
  const posted: string[] = []
  for (let i = 0; i < count; i++)
    posted.push(await sender.get(waku1Protocol).post({ topic: T, payload: utf8ToBytes(`m${i}`), ttl: TTL }))
  // Each was sent at this second or before, so none expires after `sentBy + TTL`.
  const sentBy = now()
  await until(async () => (await server.get(messageArchive).count()) === count, 'archived live')
  await sender.stop()
  // Let them expire everywhere (expired means expiry < now, in whole seconds): the client can only
  // get them from the archive.
  while (now() <= sentBy + TTL) await new Promise((resolve) => setTimeout(resolve, 100))
  return { server, posted: posted.sort() }
}

async function client(mailservers: string[]) {
  const node = await started('client', {
    // Generous: a live mailserver must not time out on a loaded machine; port 1 is refused at once.
    services: { history: mailserverClient({ mailservers, requestTimeoutMs: 10_000 }) },
  })
  const delivered: ReceivedMessage[] = []
  await node.get(waku1Protocol).subscribe({ topics: [T], allowP2P: true }, (m) => delivered.push(m))
  const synced: HistorySyncedDetail[] = []
  node.events.addEventListener('history:synced', (event) => synced.push(event.detail))
  return { node, history: node.get(historyClient), delivered, synced }
}

describe('mailserver fed by live traffic', () => {
  it('a client that joins later fetches what a sender posted while it was offline', async () => {
    const { server, posted } = live
    const { history, delivered, synced } = await client([enodeOf(server)])
    const result = await history.requestHistory({ topics: [T], from: now() - 60 })
    expect(result).toMatchObject({ envelopes: 3, pages: 1, mailserver: enodeOf(server) })
    expect(result.cursor).toBeUndefined()
    expect(result.requestIds).toHaveLength(1)
    expect(result.requestIds[0]).toMatch(/^0x[0-9a-f]{64}$/)
    expect(delivered.map((m) => m.hash).sort()).toEqual(posted)
    expect(delivered.every((m) => m.p2p === true)).toBe(true)
    expect(synced).toMatchObject([{ status: 'synced', envelopes: 3 }])
    expect(history.historyStatus()).toEqual([
      {
        topic: T,
        syncedTo: result.to,
        lastAttemptAt: expect.any(Number),
        lastError: undefined,
        mailserver: enodeOf(server),
      },
    ])
  })

  it('asks a named mailserver, stops after maxPages, and resumes at the cursor', async () => {
    const { server, posted } = live
    const unreachable = `enode://${'ab'.repeat(64)}@127.0.0.1:1`
    const { history, delivered, synced } = await client([unreachable])
    const query = { topics: [T], from: now() - 60, mailserver: enodeOf(server), pageLimit: 2 }
    const first = await history.requestHistory({ ...query, maxPages: 1 })
    expect(first).toMatchObject({ envelopes: 2, pages: 1, mailserver: enodeOf(server) })
    expect(first.cursor).toMatch(/^[0-9a-f]{72}$/)
    expect(history.historyStatus()[0]).toMatchObject({ syncedTo: undefined, mailserver: enodeOf(server) })
    const rest = await history.requestHistory({ ...query, to: first.to, cursor: first.cursor })
    expect(rest).toMatchObject({ envelopes: 1, duplicates: 0, pages: 1 })
    expect(rest.cursor).toBeUndefined()
    expect(delivered.map((m) => m.hash).sort()).toEqual(posted)
    expect(synced.map((s) => s.status)).toEqual(['partial', 'synced'])
    expect(history.historyStatus()[0]?.syncedTo).toBe(first.to)
  })

  it("serves status-go's bare MessagesRequest (126 without an envelope) as it serves a sealed one", async () => {
    const { server, posted } = live
    const asker = await started('asker')
    const waku = asker.get(waku1Protocol)
    const serverId = server.get(devp2pHost).nodeId
    waku.markTrustedPeer(serverId)
    const delivered: ReceivedMessage[] = []
    await waku.subscribe({ topics: [T], allowP2P: true }, (m) => delivered.push(m))
    const complete = new Promise<Uint8Array>((resolve) =>
      waku.addEventListener('p2p:request-complete', (event) => resolve(event.detail.payload)),
    )
    await asker.get(devp2pHost).dial(enodeOf(server))
    await until(() => waku.readyPeers().includes(serverId), 'asker connected')
    const id = new Uint8Array(32).fill(0x42)
    const request = { id, from: now() - 60, to: now(), limit: 10, cursor: new Uint8Array(0) }
    await waku.sendP2PRequest(
      serverId,
      encodeMessagesRequest({ ...request, bloom: new Uint8Array(0), topics: [topicFromName('parley-live')] }),
    )
    const reply = decodeRequestCompletePayload(await complete)
    expect(reply.kind === 'completed' && Buffer.from(reply.requestId).equals(id)).toBe(true)
    expect(delivered.map((m) => m.hash).sort()).toEqual(posted)
  })

  it('refuses bad options with InvalidParametersError', async () => {
    const { history } = await client([`enode://${'ab'.repeat(64)}@127.0.0.1:1`])
    const base = { topics: [T], from: now() - 60 }
    for (const bad of [
      { mailserver: 'enode://nope' },
      { pageLimit: 1001 },
      { maxPages: 0 },
      { cursor: 'zz' },
      { cursor: '00' },
      { auth: new Uint8Array(3) },
    ]) {
      await expect(history.requestHistory({ ...base, ...bad })).rejects.toMatchObject({
        name: 'InvalidParametersError',
      })
    }
  })
})
