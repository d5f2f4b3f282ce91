/**
 * Over loopback TCP with Waku v1: the mailserver registers as its protocol's archiver, so an
 * envelope reaches the next peer only after it is in the archive (what a crash test relies on), and
 * a failing archive write is counted on both sides, withholds the envelope, and harms nothing else.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { bytesToHex, utf8ToBytes } from '@parley/crypto'
import { topicFromName, topicToHex } from '@parley/envelope'
import {
  type AbortOptions,
  type ArchivedMessage,
  devp2pHost,
  messageArchive,
  type Plugin,
  waku1Protocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { MemoryMessageArchive } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { mailserver } from '../src/index.ts'
import { until } from './helpers.ts'

const T = topicToHex(topicFromName('parley-archive-first'))

/** An archive whose writes take `delayMs`, record what they stored, and fail while `failing`. */
class SlowArchive extends MemoryMessageArchive {
  delayMs = 0
  failing = false
  readonly stored = new Set<string>()

  override async insert(messages: readonly ArchivedMessage[], options?: AbortOptions): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs))
    if (this.failing) throw new Error('disk on fire')
    const added = await super.insert(messages, options)
    for (const message of messages) this.stored.add(`0x${bytesToHex(message.hash)}`)
    return added
  }
}

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

function wakuNode(name: string, extra: Partial<Parameters<typeof createNode>[0]> = {}): ParleyNode {
  const node = createNode({
    name,
    transports: [devp2p({ port: 0, clientId: name })],
    protocols: [waku1({ minPow: 0.002 })],
    logger: { level: 'silent' },
    ...extra,
  })
  nodes.push(node)
  return node
}

async function connect(a: ParleyNode, b: ParleyNode): Promise<void> {
  await a.get(devp2pHost).dial(b.get(devp2pHost).enode!)
  const ready = (x: ParleyNode, y: ParleyNode) =>
    x.get(waku1Protocol).readyPeers().includes(y.get(devp2pHost).nodeId)
  await until(() => ready(a, b) && ready(b, a))
}

async function counted(node: ParleyNode, line: string): Promise<number> {
  const row = (await node.metrics.expose()).split('\n').find((text) => text.startsWith(`${line} `))
  return row === undefined ? 0 : Number(row.split(' ').pop())
}

/** sender — mailserver — receiver, the mailserver's archive slow; `seen` records, at arrival, whether it was archived. */
async function chain() {
  const archive = new SlowArchive()
  const store: Plugin<SlowArchive> = {
    name: 'slow-archive',
    provides: [messageArchive],
    create: () => archive,
  }
  const server = wakuNode('archiving-mailserver', { store, services: { mailserver: mailserver() } })
  const sender = wakuNode('sender')
  const receiver = wakuNode('receiver')
  for (const node of nodes) await node.start()
  await connect(sender, server)
  await connect(receiver, server)
  const seen: Array<{ hash: string; archived: boolean }> = []
  await receiver
    .get(waku1Protocol)
    .subscribe({ topics: [T] }, (message) =>
      seen.push({ hash: message.hash, archived: archive.stored.has(message.hash) }),
    )
  const post = (text: string) =>
    sender.get(waku1Protocol).post({ topic: T, payload: utf8ToBytes(text), ttl: 60 })
  return { archive, server, receiver, seen, post }
}

describe('the mailserver archives before its node relays', () => {
  it('a relayed envelope was archived before the next peer got it, even with a slow store', async () => {
    const { archive, seen, post } = await chain()
    archive.delayMs = 80
    const hashes = [await post('one'), await post('two'), await post('three')]
    await until(() => seen.length === 3, 'relayed to the receiver')
    expect(seen).toEqual(hashes.map((hash) => ({ hash, archived: true })))
  })

  it('a failed write is counted, withholds the envelope, and the node goes on', async () => {
    const { archive, server, seen, post } = await chain()
    archive.failing = true
    await post('lost')
    await until(
      async () => (await counted(server, 'parley_waku1_envelopes_total{result="archive-failed"}')) === 1,
      'counted by the protocol',
    )
    expect(await counted(server, 'parley_mailserver_archived_envelopes_total{result="error"}')).toBe(1)
    archive.failing = false
    const kept = await post('kept')
    await until(() => seen.length === 1, 'the next one relayed')
    expect(seen).toEqual([{ hash: kept, archived: true }])
    expect(server.status).toBe('started')
  })
})
