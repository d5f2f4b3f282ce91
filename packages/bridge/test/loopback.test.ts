/**
 * A Whisper-only node, a Waku v1-only node and a Waku v2-only node exchange public-chat messages
 * through one bridge node on loopback: each message reaches each node once and never comes back,
 * and a v2 store query to the bridge returns messages that only ever crossed from v1.
 */
import type { ParleyNode } from '@parley/core'
import { libp2pHost, waku2Relay } from '@parley/interfaces'
import type { WakuRelay } from '@parley/protocol-waku2-relay'
import { waku2Store } from '@parley/protocol-waku2-store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Bridge, messageBridge } from '../src/index.ts'
import {
  bridgeNode,
  type Chat,
  CONTENT_TOPIC,
  connect,
  type Kind,
  listen,
  post,
  publicChat,
  singleNode,
  waitFor,
} from './network.ts'

const KINDS: Kind[] = ['whisper', 'waku1', 'waku2']

describe('bridge on loopback', () => {
  let hub: ParleyNode
  let chat: Chat
  const nodes = new Map<Kind, ParleyNode>()
  const inbox = new Map<Kind, string[]>()

  beforeAll(async () => {
    chat = await publicChat()
    hub = bridgeNode({ rateLimit: false })
    await hub.start()
    for (const kind of KINDS) {
      const node = singleNode(kind)
      await node.start()
      nodes.set(kind, node)
      inbox.set(kind, await listen(kind, node, chat))
      await connect(kind, node, hub)
    }
  }, 60_000)

  afterAll(async () => {
    await Promise.all([...nodes.values()].map((node) => node.stop()))
    await hub?.stop()
  })

  it('delivers each message once to every node and never echoes it back', async () => {
    for (const kind of KINDS) await post(kind, nodes.get(kind)!, chat.seal(`hello from ${kind}`))
    const expected = KINDS.map((kind) => `hello from ${kind}`).sort()
    await waitFor(() => KINDS.every((kind) => inbox.get(kind)!.length >= 3), 'every message everywhere')
    await new Promise((resolve) => setTimeout(resolve, 600)) // time for any echo or second copy to arrive
    for (const kind of KINDS) expect([...inbox.get(kind)!].sort(), kind).toEqual(expected)

    const stats = (hub.get(messageBridge) as Bridge).stats()
    for (const from of KINDS)
      for (const to of KINDS.filter((side) => side !== from))
        expect(stats[`${from}->${to}`], `${from}->${to}`).toEqual({ bridged: 1, dropped: {} })
  })

  it('answers a v2 store query with messages that only crossed from v1', async () => {
    const v2 = nodes.get('waku2')!
    const pubsubTopic = (v2.get(waku2Relay) as WakuRelay).pubsubTopicFor(CONTENT_TOPIC)
    const texts: string[] = []
    const query = { pubsubTopic, contentTopics: [CONTENT_TOPIC], includeData: true, forward: true }
    const address = hub.get(libp2pHost).multiaddrs()[0]!
    for await (const page of v2
      .get(waku2Store)
      .query(address, query, { signal: AbortSignal.timeout(15_000) }))
      for (const entry of page.messages) {
        expect(entry.message?.version).toBe(1)
        texts.push(chat.open(entry.message!.payload) ?? '<undecryptable>')
      }
    // The v2 node's own message is archived too (the bridge's relay accepted it from its peer).
    expect(texts.sort()).toEqual(['hello from waku1', 'hello from waku2', 'hello from whisper'])
  })
})
