/**
 * End to end over loopback TCP: real devp2p hosts, real Waku v1 and Whisper, a mailserver with
 * store-memory (or store-sqlite) and a client that was offline. The archive is seeded through
 * `Mailserver.archive()` with envelopes dated in the past; `e2e-live.test.ts` feeds it live traffic.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { bytesToHex } from '@parley/crypto'
import { type Envelope, encodeEnvelope, envelopeHash, topicFromName, topicToHex } from '@parley/envelope'
import {
  devp2pHost,
  type ReceivedMessage,
  type V1PrivacyProtocol,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { sqliteStore } from '@parley/store-sqlite'
import { devp2p } from '@parley/transport-devp2p'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type HistorySyncedDetail,
  type Mailserver,
  type MailserverClient,
  type MailserverClientInit,
  mailserver,
  mailserverClient,
} from '../src/index.ts'
import { envelopeAt, metric } from './helpers.ts'

const TOPIC = topicFromName('parley-e2e')
const OTHER = topicFromName('parley-e2e-other')
const now = () => Math.floor(Date.now() / 1000)
let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

type Flavour = 'waku' | 'shh'
const protocolPlugin = (flavour: Flavour) =>
  flavour === 'waku' ? waku1({ minPow: 0.002 }) : whisper({ minPow: 0.002 })
const protocolOf = (node: ParleyNode, flavour: Flavour): V1PrivacyProtocol =>
  node.get(flavour === 'waku' ? waku1Protocol : whisperProtocol)

async function started(node: ParleyNode): Promise<ParleyNode> {
  nodes.push(node)
  await node.start()
  return node
}

async function serverNode(
  flavour: Flavour,
  name = 'mailserver',
  withMailserver = true,
  store: 'memory' | 'sqlite' = 'memory',
): Promise<ParleyNode> {
  return started(
    createNode({
      name,
      transports: [devp2p({ port: 0, clientId: name })],
      protocols: [protocolPlugin(flavour)],
      store: store === 'memory' ? memoryStore() : sqliteStore({ path: ':memory:' }),
      ...(withMailserver ? { services: { mailserver: mailserver({ rateLimit: false }) } } : {}),
      logger: { level: 'silent' },
    }),
  )
}

async function clientNode(flavour: Flavour, init: Omit<MailserverClientInit, 'protocol'>) {
  const node = await started(
    createNode({
      name: 'client',
      transports: [devp2p({ port: 0, clientId: 'client' })],
      protocols: [protocolPlugin(flavour)],
      // Generous: only a silent peer waits it out, and a loaded machine must not time out a live one.
      services: { client: mailserverClient({ protocol: flavour, requestTimeoutMs: 10_000, ...init }) },
      logger: { level: 'silent' },
    }),
  )
  const synced: HistorySyncedDetail[] = []
  node.events.addEventListener('history:synced', (event) => synced.push(event.detail))
  // What the app's filters see: envelopes from the trusted mailserver, delivered because allowP2P.
  const delivered: ReceivedMessage[] = []
  await protocolOf(node, flavour).subscribe({ topics: [topicToHex(TOPIC)], allowP2P: true }, (m) =>
    delivered.push(m),
  )
  return { node, client: node.service('client') as MailserverClient, synced, delivered }
}

const enodeOf = (node: ParleyNode): string => node.get(devp2pHost).enode!
/**
 * A mailserver with nothing listening: port 1, which no test can bind, rather than the port of a
 * stopped node, which another node (here or in a parallel test file) may be given again.
 */
const DEAD_ENODE = `enode://${'de'.repeat(64)}@127.0.0.1:1`

async function missedHistory(server: ParleyNode): Promise<Envelope[]> {
  const t = now()
  const mine = await Promise.all([3000, 2000, 1000, 500, 10].map((ago) => envelopeAt(TOPIC, t - ago, 64)))
  const others = await Promise.all([1500, 20].map((ago) => envelopeAt(OTHER, t - ago, 64)))
  await (server.service('mailserver') as Mailserver).archive([...mine, ...others].map(encodeEnvelope))
  return mine
}

const hashes = (envelopes: readonly Envelope[]) =>
  envelopes.map((e) => `0x${bytesToHex(envelopeHash(e))}`).sort()

describe('mailserver end to end over loopback', () => {
  it.each([
    ['waku', 'memory'],
    ['shh', 'memory'],
    ['waku', 'sqlite'],
  ] as const)('a client that was offline fetches what it missed (%s, store-%s)', async (flavour, store) => {
    const server = await serverNode(flavour, 'mailserver', true, store)
    const missed = await missedHistory(server)
    const { node, client, synced, delivered } = await clientNode(flavour, {
      mailservers: [enodeOf(server)],
      pageLimit: 2,
    })
    const handed: string[] = []
    const result = await client.requestHistory({
      topics: [topicToHex(TOPIC)],
      from: now() - 3600,
      onEnvelope: (_bytes, hash) => handed.push(hash),
    })
    expect(result).toMatchObject({ envelopes: 5, duplicates: 0, mailserver: enodeOf(server) })
    expect(result.pages).toBe(3) // 2 + 2 + 1
    expect(handed.sort()).toEqual(hashes(missed))
    expect(delivered.map((m) => m.hash).sort()).toEqual(hashes(missed))
    expect(delivered.every((m) => m.p2p === true)).toBe(true)
    expect(synced).toMatchObject([{ status: 'synced', envelopes: 5 }])
    expect(client.historyStatus()[0]?.syncedTo).toBe(result.to)
    expect(
      await metric(
        server,
        'parley_mailserver_envelopes_served_total',
        `protocol="${flavour}/${flavour === 'waku' ? 1 : 6}"`,
      ),
    ).toBe(5)
    expect(
      await metric(node, 'parley_mailserver_client_latency_seconds_count', 'stage="first-envelope"'),
    ).toBe(3)
    // Asking again finds nothing new.
    expect(await client.requestHistory({ topics: [topicToHex(TOPIC)], from: now() - 3600 })).toMatchObject({
      envelopes: 0,
      duplicates: 5,
    })
  })

  it('fails over from a dead mailserver (nothing listening) to a live one', async () => {
    const server = await serverNode('waku')
    const missed = await missedHistory(server)
    const { client, synced } = await clientNode('waku', { mailservers: [DEAD_ENODE, enodeOf(server)] })
    const result = await client.requestHistory({ topics: [topicToHex(TOPIC)], from: now() - 3600 })
    expect(result.envelopes).toBe(missed.length)
    expect(result.mailserver).toBe(enodeOf(server))
    expect(synced[0]?.status).toBe('synced')
    const status = client.mailservers()
    expect(status.find((s) => s.enode === DEAD_ENODE)?.rttMs).toBeUndefined()
    expect(status.find((s) => s.enode === enodeOf(server))?.active).toBe(true)
  })

  it('fails over after two timeouts from a reachable peer that serves no history', async () => {
    const silent = await serverNode('waku', 'silent', false)
    const server = await serverNode('waku')
    const missed = await missedHistory(server)
    const silentEnode = enodeOf(silent)
    const { node, client } = await clientNode('waku', {
      mailservers: [silentEnode, enodeOf(server)],
      // Waited out twice; long enough for the live one to connect and answer on a loaded machine.
      requestTimeoutMs: 2500,
      // The silent one looks fastest, so it is tried first.
      ping: async (address) => (address.enode === silentEnode ? 1 : 50),
    })
    const result = await client.requestHistory({ topics: [topicToHex(TOPIC)], from: now() - 3600 })
    expect(result.envelopes).toBe(missed.length)
    expect(await metric(node, 'parley_mailserver_client_requests_total', 'result="timeout"')).toBe(2)
    expect(await metric(node, 'parley_mailserver_client_failovers_total')).toBe(1)
    expect(client.mailservers().find((s) => s.enode === silentEnode)?.greylistedUntil).toBeGreaterThan(
      Date.now(),
    )
  })

  it('reports "couldn\'t reach any mailserver" when none answers', async () => {
    const { client, synced } = await clientNode('waku', { mailservers: [DEAD_ENODE] })
    await expect(
      client.requestHistory({ topics: [topicToHex(TOPIC)], from: now() - 60 }),
    ).rejects.toMatchObject({
      code: 'ERR_MAILSERVER_UNAVAILABLE',
    })
    expect(synced).toMatchObject([{ status: 'failed', envelopes: 0 }])
  })
})
