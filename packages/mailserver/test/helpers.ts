/** Nodes for the unit tests: a mailserver and clients on a `FakeNetwork`, with real core, store and plugins. */
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
import { type Envelope, encodeEnvelope, sealEnvelope } from '@parley/envelope'
import { type Devp2pHost, devp2pHost, type Plugin, waku1Protocol, whisperProtocol } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { afterEach, expect } from 'vitest'
import {
  type Mailserver,
  type MailserverClient,
  type MailserverClientInit,
  type MailserverInit,
  mailserver,
  mailserverClient,
} from '../src/index.ts'
import { FakeNetwork, FakeV1 } from './fake-protocol.ts'

export const { secp256k1 } = await loadCrypto()

export function fakeProtocolPlugin(protocol: FakeV1, shh = false): Plugin<FakeV1> {
  return {
    name: `fake-${protocol.id.slice(0, 4)}`,
    provides: [shh ? whisperProtocol : waku1Protocol],
    create: () => protocol,
  }
}

/** A devp2p host whose dial fails for ids the network does not know. */
export function fakeHostPlugin(network: FakeNetwork): Plugin<Devp2pHost> {
  const host = {
    nodeId: 'ff'.repeat(64),
    enode: undefined,
    dialed: [] as string[],
    registerCapability: () => {},
    peers: () => [],
    dial: async (enode: string) => {
      host.dialed.push(enode)
      const id = enode.slice(8, 136)
      if (!network.nodes.has(id)) throw new Error(`connection refused: ${id.slice(0, 8)}`)
      return { id } as never
    },
  }
  return { name: 'fake-host', provides: [devp2pHost], create: () => host as unknown as Devp2pHost }
}

export function idOf(byte: number): string {
  return byte.toString(16).padStart(2, '0').repeat(64)
}

export function enodeOf(id: string, port = 30303): string {
  return `enode://${id}@127.0.0.1:${port}`
}

export async function serverNode(
  network: FakeNetwork,
  id: string,
  init: MailserverInit = {},
): Promise<{ node: ParleyNode; protocol: FakeV1; server: Mailserver }> {
  const protocol = new FakeV1(network, id)
  const node = createNode({
    name: `server-${id.slice(0, 4)}`,
    protocols: [fakeProtocolPlugin(protocol)],
    store: memoryStore(),
    services: { mailserver: mailserver({ rateLimit: false, ...init }) },
    logger: { level: 'silent' },
  })
  await node.start()
  return { node, protocol, server: node.service('mailserver') as Mailserver }
}

/** The stops a test file registers, all run after each test. Call once, at a file's top level. */
export function stopsAfterEach(): Array<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = []
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()))
  })
  return stops
}

/**
 * A mailserver node `serverId` on a fresh network (stopped through `stops`) and a bare requester
 * (id 0xc1) it trusts, so the requester's p2p requests reach the server.
 */
export async function serverWithRequester(
  stops: Array<() => Promise<void>>,
  serverId: string,
  init: MailserverInit = {},
): Promise<{
  node: ParleyNode
  protocol: FakeV1
  server: Mailserver
  network: FakeNetwork
  requester: FakeV1
}> {
  const network = new FakeNetwork()
  const made = await serverNode(network, serverId, init)
  stops.push(() => made.node.stop())
  const requester = new FakeV1(network, idOf(0xc1))
  requester.markTrustedPeer(serverId)
  return { ...made, network, requester }
}

export async function clientNode(
  network: FakeNetwork,
  id: string,
  init: MailserverClientInit,
): Promise<{ node: ParleyNode; protocol: FakeV1; client: MailserverClient }> {
  const protocol = new FakeV1(network, id)
  const node = createNode({
    name: `client-${id.slice(0, 4)}`,
    transports: [fakeHostPlugin(network)],
    protocols: [fakeProtocolPlugin(protocol)],
    services: { client: mailserverClient({ ping: async () => 1, ...init }) },
    logger: { level: 'silent' },
  })
  await node.start()
  return { node, protocol, client: node.service('client') as MailserverClient }
}

/** An envelope sent at `sent` (unix seconds) on `topic`, with random data so hashes differ. */
export async function envelopeAt(topic: Uint8Array, sent: number, size = 32): Promise<Envelope> {
  const data = crypto.getRandomValues(new Uint8Array(size))
  return sealEnvelope({ topic, data, ttl: 100, pow: 0 }, { now: sent })
}

export async function archiveAll(server: Mailserver, envelopes: readonly Envelope[]): Promise<number> {
  return server.archive(envelopes.map(encodeEnvelope))
}

export async function metric(node: ParleyNode, name: string, labels = ''): Promise<number> {
  const text = await node.metrics.expose()
  const line = text
    .split('\n')
    .find((row) => row.startsWith(labels === '' ? `${name} ` : `${name}{${labels}}`))
  return line === undefined ? 0 : Number(line.split(' ').pop())
}

/** Polls `check` until it holds; the bound is generous because a loaded CI machine stalls for seconds. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(await check(), what).toBe(true)
}
