/**
 * Whisper v6 ↔ Waku v1 on loopback, through a bridge whose Whisper side demands more PoW (0.2) than
 * its Waku v1 side (0.002): an envelope with enough work crosses unchanged, so both networks know it
 * by one hash, and only one with too little is sealed anew (new hash), counted as `resealed`.
 */
import type { ParleyNode } from '@parley/core'
import { encodeEnvelope, envelopePow, hexToTopic } from '@parley/envelope'
import { type ReceivedMessage, waku1Protocol, whisperProtocol } from '@parley/interfaces'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Bridge, messageBridge } from '../src/index.ts'
import { bridgeNode, type Chat, connect, publicChat, singleNode, TOPIC, waitFor } from './network.ts'

const WHISPER_POW = 0.2

describe('bridge on loopback: Whisper v6 ↔ Waku v1 keep the envelope', () => {
  let hub: ParleyNode
  let whisperNode: ParleyNode
  let wakuNode: ParleyNode
  let chat: Chat
  const atWhisper: ReceivedMessage[] = []
  const atWaku: ReceivedMessage[] = []

  beforeAll(async () => {
    chat = await publicChat()
    hub = bridgeNode({ rateLimit: false, sides: ['whisper', 'waku1'] }, 'pow-bridge', {
      whisper: WHISPER_POW,
    })
    whisperNode = singleNode('whisper')
    wakuNode = singleNode('waku1')
    await Promise.all([hub.start(), whisperNode.start(), wakuNode.start()])
    await whisperNode.get(whisperProtocol).subscribe({ topics: [TOPIC] }, (m) => atWhisper.push(m))
    await wakuNode.get(waku1Protocol).subscribe({ topics: [TOPIC] }, (m) => atWaku.push(m))
    await connect('whisper', whisperNode, hub)
    await connect('waku1', wakuNode, hub)
  }, 60_000)

  afterAll(async () => {
    await Promise.all([whisperNode?.stop(), wakuNode?.stop(), hub?.stop()])
  })

  const texts = (inbox: ReceivedMessage[]) => inbox.map((message) => chat.open(message.payload))
  const stats = () => (hub.get(messageBridge) as Bridge).stats()

  it('carries an envelope with enough PoW unchanged both ways: one hash on both networks', async () => {
    const fromWaku = await wakuNode
      .get(waku1Protocol)
      .post({ topic: TOPIC, payload: chat.seal('waku, worked hard'), ttl: 30, pow: WHISPER_POW })
    await waitFor(() => texts(atWhisper).includes('waku, worked hard'), 'waku1 → whisper')
    expect(atWhisper.find((m) => chat.open(m.payload) === 'waku, worked hard')?.hash).toBe(fromWaku)

    const fromWhisper = await whisperNode
      .get(whisperProtocol)
      .post({ topic: TOPIC, payload: chat.seal('whisper says hi'), ttl: 30, pow: WHISPER_POW })
    await waitFor(() => texts(atWaku).includes('whisper says hi'), 'whisper → waku1')
    expect(atWaku.find((m) => chat.open(m.payload) === 'whisper says hi')?.hash).toBe(fromWhisper)
  })

  it('re-seals for the Whisper side an envelope under its PoW, and says so in the metrics', async () => {
    // Sealed for 0.002, an envelope reaches 0.2 by luck about 1 time in 130: take the first nonce
    // whose PoW is enough for the Waku v1 side and too little for the Whisper side.
    const data = chat.seal('waku, light work')
    const envelope = {
      expiry: Math.floor(Date.now() / 1000) + 30,
      ttl: 30,
      topic: hexToTopic(TOPIC),
      data,
      nonce: 0n,
    }
    const fits = () => envelopePow(envelope) >= 0.002 && envelopePow(envelope) < WHISPER_POW
    while (!fits()) envelope.nonce++
    const light = await wakuNode.get(waku1Protocol).inject(encodeEnvelope(envelope))
    await waitFor(() => texts(atWhisper).includes('waku, light work'), 'waku1 → whisper, re-sealed')
    const received = atWhisper.find((m) => chat.open(m.payload) === 'waku, light work')!
    expect(received.hash).not.toBe(light)
    expect(received.pow).toBeGreaterThanOrEqual(WHISPER_POW)
    const exposed = await hub.metrics.expose()
    expect(exposed).toContain('parley_bridge_messages_total{from="waku1",to="whisper",result="resealed"} 1')
    expect(exposed).toContain('parley_bridge_messages_total{from="waku1",to="whisper",result="bridged"} 1')
    expect(exposed).toContain('parley_bridge_messages_total{from="whisper",to="waku1",result="bridged"} 1')
    // Nothing came back: each crossing once, no echo counted as a duplicate.
    expect(stats()).toEqual({
      'waku1->whisper': { bridged: 2, dropped: {} },
      'whisper->waku1': { bridged: 1, dropped: {} },
    })
    expect(texts(atWaku).sort()).toEqual(['waku, light work', 'waku, worked hard', 'whisper says hi'])
    expect(texts(atWhisper).sort()).toEqual(['waku, light work', 'waku, worked hard', 'whisper says hi'])
  })
})
