/** Waku v1 message confirmations (11, 12) and the Status options we advertise. */
import type { ParleyNode } from '@parley/core'
import { keccak256, utf8ToBytes } from '@parley/crypto'
import {
  decodeBatchAck,
  decodeMessageResponse,
  decodeWakuStatus,
  type Envelope,
  encodeEnvelopes,
  envelopeHash,
  sealEnvelope,
  topicFromName,
  topicToHex,
  validateEnvelope,
  WakuCode,
} from '@parley/envelope'
import type { EnvelopeSentEvent } from '@parley/protocol-whisper'
import { describe, expect, it } from 'vitest'
import type { BatchAcknowledgedEvent, BatchResponseEvent, Waku1Init } from '../src/index.ts'
import {
  connect,
  dialRaw,
  envelopeBelowPow,
  envelopesCounted,
  nowSeconds,
  pause,
  type RawPeer,
  rawPeer,
  startBoth,
  stoppedAfterEach,
  until,
  waku,
  wakuHandshake,
  wakuNode,
} from './helpers.ts'

const topic = topicFromName('parley-confirm')
const T = topicToHex(topic)

const nodes = stoppedAfterEach()

async function setup(init: Waku1Init = {}): Promise<{ node: ParleyNode; raw: RawPeer }> {
  const node = wakuNode('target', init)
  const raw = rawPeer('raw')
  await startBoth(nodes, node, raw)
  await dialRaw(raw, node)
  await wakuHandshake(raw, node)
  return { node, raw }
}

/** An envelope whose pow is under 0.002 (below 0.001, by construction). */
function lowPow(): Envelope {
  const envelope = envelopeBelowPow(topic, 0.001)
  expect(validateEnvelope(envelope, { minPow: 0.002 }).ok).toBe(false)
  return envelope
}

describe('waku/1 confirmations', () => {
  it("answers a Messages batch with status-go's Message Response (12) and Batch Acknowledged (11)", async () => {
    const { raw } = await setup({ confirmationsEnabled: true, maxPeerViolations: 100 })
    const good = await sealEnvelope({ topic, data: utf8ToBytes('fine'), ttl: 30, pow: 0.002 })
    const future = { expiry: nowSeconds() + 4000, ttl: 30, topic, data: new Uint8Array(4), nonce: 0n }
    const cheap = lowPow()
    const payload = encodeEnvelopes([good, cheap, future])
    await raw.peer!.send(WakuCode.messages, payload)
    await until(() => raw.received.some((packet) => packet.code === WakuCode.batchAcknowledged), 'ack')
    const confirmations = raw.received.filter((packet) => packet.code === 11 || packet.code === 12)
    expect(confirmations.map((packet) => packet.code)).toEqual([12, 11])
    const batch = keccak256(payload)
    expect(decodeBatchAck(confirmations[1]!.payload)).toEqual(batch)
    const response = decodeMessageResponse(confirmations[0]!.payload)
    expect(response.hash).toEqual(batch)
    expect(response.errors).toEqual([
      { hash: envelopeHash(cheap), code: 22, description: 'envelope with low PoW received' },
      { hash: envelopeHash(future), code: 21, description: 'envelope from future' },
    ])
  })

  it('neither penalises nor reports an envelope outside our topic interest, as status-go', async () => {
    const { node, raw } = await setup({
      confirmationsEnabled: true,
      maxPeerViolations: 1,
      topicInterest: [T],
    })
    const other = topicFromName('parley-not-wanted')
    const miss = await sealEnvelope({ topic: other, data: utf8ToBytes('elsewhere'), ttl: 30, pow: 0.002 })
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([miss]))
    await until(() => raw.received.some((packet) => packet.code === WakuCode.messageResponse), 'response')
    const response = raw.received.find((packet) => packet.code === WakuCode.messageResponse)!
    expect(decodeMessageResponse(response.payload).errors).toEqual([])
    expect(await envelopesCounted(node, 'topic-mismatch')).toBe(1)
    await pause(50)
    expect(raw.disconnected).toBe(false)
  })

  it('sends no confirmations by default', async () => {
    const { node, raw } = await setup()
    const good = await sealEnvelope({ topic, data: utf8ToBytes('quiet'), ttl: 30, pow: 0.002 })
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([good]))
    await until(async () => (await waku(node).readyPeers()).length === 1, 'still connected')
    await pause(150)
    expect(raw.received.filter((packet) => packet.code === 11 || packet.code === 12)).toHaveLength(0)
  })

  it("turns a confirming peer's answers into node events naming the batch of envelope:sent", async () => {
    const sender = wakuNode('sender')
    const confirmer = wakuNode('confirmer', { confirmationsEnabled: true })
    nodes.push(sender, confirmer)
    await sender.start()
    await confirmer.start()
    await connect(sender, confirmer)
    const sent: EnvelopeSentEvent[] = []
    const acks: BatchAcknowledgedEvent[] = []
    const responses: BatchResponseEvent[] = []
    sender.events.addEventListener('envelope:sent', (event) => sent.push(event.detail))
    sender.events.addEventListener('envelope:batch-acknowledged', (event) => acks.push(event.detail))
    sender.events.addEventListener('envelope:batch-response', (event) => responses.push(event.detail))
    await waku(sender).post({ topic: T, payload: utf8ToBytes('confirm me') })
    await until(() => acks.length === 1 && responses.length === 1, 'both confirmations')
    expect(sent).toHaveLength(1)
    expect(acks[0]!.batch).toBe(sent[0]!.batch)
    expect(responses[0]).toMatchObject({ protocol: 'waku/1', batch: sent[0]!.batch, errors: [] })
    expect(acks[0]!.peer).toBe(sent[0]!.peer)
  })
})

describe('waku/1 Status options we advertise', () => {
  it('says confirmations and the rate limits we enforce, as status-go (keys 3, 4 and 6)', async () => {
    const { raw } = await setup({ confirmationsEnabled: true, rateLimits: {} })
    const options = decodeWakuStatus(raw.received[0]!.payload)
    expect(options.confirmationsEnabled).toBe(true)
    expect(options.rateLimits).toEqual({ ip: 10n, peerId: 5n, topic: 0n })
    expect(options.bytesRateLimits).toEqual({ ip: 1048576n, peerId: 1048576n, topic: 0n })
  })

  it('says no confirmations and zero limits by default', async () => {
    const { raw } = await setup()
    const options = decodeWakuStatus(raw.received[0]!.payload)
    expect(options.confirmationsEnabled).toBe(false)
    expect(options.rateLimits).toEqual({ ip: 0n, peerId: 0n, topic: 0n })
    expect(options.bytesRateLimits).toEqual({ ip: 0n, peerId: 0n, topic: 0n })
  })
})
