/**
 * Bridging never amplifies: on loopback, traffic the bridge must not carry (under its PoW, over its
 * size, on a topic or payload version it does not bridge) stops at the bridge, counted per
 * direction, while the other nodes get nothing.
 */
import type { ParleyNode } from '@parley/core'
import { decodeEnvelope, envelopePow } from '@parley/envelope'
import { waku2Relay, whisperProtocol } from '@parley/interfaces'
import type { WakuRelay } from '@parley/protocol-waku2-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Bridge, type DropReason, messageBridge } from '../src/index.ts'
import {
  bridgeNode,
  type Chat,
  CONTENT_TOPIC,
  connect,
  listen,
  post,
  publicChat,
  singleNode,
  waitFor,
} from './network.ts'

// Far above the 0.002 the nodes seal with: a seal overshoots by the ~29 extra zero bits this needs
// about once in 2^29 (at 10, about once in 4,000 envelopes, the check below would fail by luck).
const BRIDGE_POW = 1_000_000

describe('bridge on loopback: bad input', () => {
  let hub: ParleyNode
  let whisperNode: ParleyNode
  let v2Node: ParleyNode
  let chat: Chat

  beforeAll(async () => {
    chat = await publicChat()
    hub = bridgeNode(
      { minPow: BRIDGE_POW, maxPayloadSize: 2000, sides: ['whisper', 'waku2'] },
      'strict-bridge',
    )
    whisperNode = singleNode('whisper')
    v2Node = singleNode('waku2')
    await Promise.all([hub.start(), whisperNode.start(), v2Node.start()])
    await connect('whisper', whisperNode, hub)
    await connect('waku2', v2Node, hub)
  }, 60_000)

  afterAll(async () => {
    await Promise.all([whisperNode?.stop(), v2Node?.stop(), hub?.stop()])
  })

  it('drops low-PoW and oversized envelopes and unbridged v2 messages, with a metric', async () => {
    const v2Inbox = await listen('waku2', v2Node, chat)
    const whisperInbox = await listen('whisper', whisperNode, chat)
    const seenByHub: number[] = []
    hub.get(whisperProtocol).addEventListener('envelope:accepted', ({ detail }) => {
      seenByHub.push(envelopePow(decodeEnvelope(detail.envelope)))
    })
    await post('whisper', whisperNode, chat.seal('weak'))
    await post('whisper', whisperNode, new Uint8Array(3000))
    const relay = v2Node.get(waku2Relay) as WakuRelay
    await relay.post({ topic: CONTENT_TOPIC, payload: chat.seal('plain version'), version: 0 })
    await relay.post({ topic: '/my-app/1/chat/proto', payload: chat.seal('other topic'), version: 1 })

    const bridge = hub.get(messageBridge) as Bridge
    const dropped = () => bridge.stats()
    const counted = (direction: string, reason: DropReason) => dropped()[direction]?.dropped[reason] === 1
    await waitFor(
      () =>
        counted('whisper->waku2', 'low-pow') &&
        counted('whisper->waku2', 'too-big') &&
        counted('waku2->whisper', 'version') &&
        counted('waku2->whisper', 'topic'),
      'the drops',
    )
    await new Promise((resolve) => setTimeout(resolve, 300)) // time for anything wrongly carried to arrive
    expect(seenByHub.every((pow) => pow < BRIDGE_POW)).toBe(true)
    expect(dropped()).toEqual({
      'whisper->waku2': { bridged: 0, dropped: { 'low-pow': 1, 'too-big': 1 } },
      'waku2->whisper': { bridged: 0, dropped: { version: 1, topic: 1 } },
    })
    // Each node saw only its own posts.
    expect(v2Inbox).toEqual(['plain version'])
    expect(whisperInbox).toEqual(['weak', '<undecryptable>'])
    const exposed = await hub.metrics.expose()
    expect(exposed).toContain('parley_bridge_messages_total{from="whisper",to="waku2",result="low-pow"} 1')
    expect(exposed).toContain('parley_bridge_messages_total{from="waku2",to="whisper",result="version"} 1')
  })
})
