import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelopes,
  decodeWakuStatus,
  type Envelope,
  encodeEnvelopes,
  encodeWakuStatus,
  sealEnvelope,
  topicFromName,
  topicToHex,
  validateEnvelope,
  WakuCode,
} from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import type { Waku1Init } from '../src/index.ts'
import {
  dialRaw,
  envelopeBelowPow,
  envelopesCounted,
  nowSeconds,
  pause,
  RAW_WAKU_STATUS,
  type RawPeer,
  rawPeer,
  startBoth,
  stoppedAfterEach,
  until,
  waku,
  wakuHandshake,
  wakuNode,
} from './helpers.ts'

const topic = topicFromName('parley-waku-hostile')
const other = topicFromName('parley-waku-other')
const T = topicToHex(topic)

const nodes = stoppedAfterEach()

async function setup(
  init: Waku1Init = {},
): Promise<{ node: ParleyNode; raw: RawPeer; got: ReceivedMessage[] }> {
  const node = wakuNode('target', init)
  const raw = rawPeer('raw')
  await startBoth(nodes, node, raw)
  const got: ReceivedMessage[] = []
  await waku(node).subscribe({ topics: [T] }, (message) => got.push(message))
  await dialRaw(raw, node)
  return { node, raw, got }
}

async function valid(text: string, on = topic): Promise<Envelope> {
  return sealEnvelope({ topic: on, data: utf8ToBytes(text), ttl: 30, pow: 0.002 })
}

/**
 * A pow requirement no envelope can meet: a pow is 2^(zero bits ≤ 256) / (size·ttl), size > 1. A
 * post sealed to 0.002 reached 1000 about 1 time in 260,000 (the hash depends on the wall clock).
 */
const UNREACHABLE_POW = 2 ** 256

/** An envelope whose pow is under 0.002 (below 0.001, by construction). */
function lowPow(): Envelope {
  const envelope = envelopeBelowPow(topic, 0.001)
  const verdict = validateEnvelope(envelope, { minPow: 0.002 })
  expect(verdict.ok === false && verdict.reason).toBe('low-pow')
  return envelope
}

const messagesTo = (raw: RawPeer) =>
  raw.received
    .filter((packet) => packet.code === WakuCode.messages)
    .flatMap((p) => decodeEnvelopes(p.payload))

describe('waku/1 against a hand-driven peer', () => {
  it('sends its Status first: options only, no version element', async () => {
    const { raw } = await setup({ topicInterest: [T] })
    await until(() => raw.received.length > 0, 'Status received')
    expect(raw.received[0]!.code).toBe(WakuCode.status)
    const options = decodeWakuStatus(raw.received[0]!.payload)
    expect(options.pow).toBe(0.002)
    expect(options.lightNode).toBe(false)
    expect(options.topicInterest?.map(topicToHex)).toEqual([T])
    expect(options.bloom).toHaveLength(64)
  })

  it('drops and counts low-pow and expired envelopes, and keeps working', async () => {
    const { node, raw, got } = await setup()
    await raw.peer!.send(WakuCode.status, RAW_WAKU_STATUS)
    const now = nowSeconds()
    const expired = { expiry: now - 3, ttl: 10, topic, data: new Uint8Array(8), nonce: 0n }
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([lowPow(), expired]))
    await until(async () => (await envelopesCounted(node, 'expired')) === 1, 'expired counted')
    expect(await envelopesCounted(node, 'low-pow')).toBe(1)
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([await valid('fine')]))
    await until(() => got.length === 1, 'the valid envelope arrived')
    expect(await envelopesCounted(node, 'accepted')).toBe(1)
    expect(raw.disconnected).toBe(false)
  })

  it('counts garbage and disconnects a repeat offender', async () => {
    const { node, raw } = await setup({ maxPeerViolations: 3 })
    await wakuHandshake(raw, node)
    for (let i = 0; i < 3; i++) await raw.peer!.send(WakuCode.messages, Uint8Array.of(0xc1, 0xff, 0x00))
    await until(() => raw.disconnected, 'disconnected after 3 violations')
    expect(await envelopesCounted(node, 'decode-error')).toBe(3)
  })

  it('disconnects a peer whose Status does not decode, or that sends none', async () => {
    // This node would wait a minute for a Status: only the undecodable one can end the connection.
    const bad = await setup({ statusTimeoutMs: 60_000 })
    await bad.raw.peer!.send(WakuCode.status, Uint8Array.of(0x01))
    await until(() => bad.raw.disconnected, 'a bad Status disconnects')
    const silent = await setup({ statusTimeoutMs: 100 })
    await until(() => silent.raw.disconnected, 'no Status disconnects')
  })

  it("honours the peer's pow and topic interest, and its Status Update", async () => {
    const { node, raw } = await setup()
    await raw.peer!.send(WakuCode.status, encodeWakuStatus({ pow: 0.002, topicInterest: [other] }))
    await until(() => waku(node).readyPeers().length === 1, 'status accepted')
    await waku(node).post({ topic: T, payload: utf8ToBytes('unwanted'), ttl: 20 })
    await pause(100)
    expect(messagesTo(raw)).toHaveLength(0)
    // A bloom without topic interest replaces the interest (status-go's rule): now it wants everything.
    await raw.peer!.send(WakuCode.statusUpdate, encodeWakuStatus({ bloom: new Uint8Array(64).fill(0xff) }))
    await until(() => messagesTo(raw).length === 1, 'the pooled envelope follows the update')
    // A pow requirement over what we post with: nothing more is sent. A Messages packet after the
    // update: once it is accepted the update has been applied (a peer's packets are handled in order).
    await raw.peer!.send(WakuCode.statusUpdate, encodeWakuStatus({ pow: UNREACHABLE_POW }))
    const acceptedBefore = await envelopesCounted(node, 'accepted')
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([await valid('marker')]))
    await until(
      async () => (await envelopesCounted(node, 'accepted')) === acceptedBefore + 1,
      'marker accepted',
    )
    await waku(node).post({ topic: T, payload: utf8ToBytes('too cheap'), ttl: 20 })
    await pause(100)
    expect(messagesTo(raw)).toHaveLength(1)
  })

  it('rejects topics outside its own interest, except the previous interest during the grace period', async () => {
    let clock = nowSeconds()
    const { node, raw } = await setup({ topicInterest: [T], now: () => clock })
    // Sealed on the node's frozen clock: sealed a second later on the wall clock, an envelope would
    // read as sent in the future and have its pow recomputed lower, maybe under the minimum.
    const sealAtClock = (text: string, on: Uint8Array) =>
      sealEnvelope({ topic: on, data: utf8ToBytes(text), ttl: 30, pow: 0.002 }, { now: clock })
    await wakuHandshake(raw, node)
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([await sealAtClock('off-topic', other)]))
    await until(async () => (await envelopesCounted(node, 'topic-mismatch')) === 1, 'counted')
    await waku(node).setTopicInterest([topicToHex(other)])
    await until(() => raw.received.some((packet) => packet.code === WakuCode.statusUpdate), 'update sent')
    const update = raw.received.find((packet) => packet.code === WakuCode.statusUpdate)!
    expect(decodeWakuStatus(update.payload).topicInterest?.map(topicToHex)).toEqual([topicToHex(other)])
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([await sealAtClock('in grace', topic)]))
    await until(async () => (await envelopesCounted(node, 'accepted')) === 1, 'old topic accepted in grace')
    clock += 11
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([await sealAtClock('late', topic)]))
    await until(
      async () => (await envelopesCounted(node, 'topic-mismatch')) === 2,
      'old topic rejected after grace',
    )
  })

  it('penalises packets before Status, but not confirmations or just-expired envelopes', async () => {
    const early = await setup({ maxPeerViolations: 1 })
    await early.raw.peer!.send(WakuCode.messages, encodeEnvelopes([await valid('early')]))
    await until(() => early.raw.disconnected, 'one violation is enough here')
    expect(await envelopesCounted(early.node, 'accepted')).toBe(0)

    const { node, raw } = await setup({ maxPeerViolations: 1 })
    await raw.peer!.send(WakuCode.status, RAW_WAKU_STATUS)
    await raw.peer!.send(WakuCode.batchAcknowledged, Uint8Array.of(0x80))
    const now = nowSeconds()
    const expired = { expiry: now - 3, ttl: 10, topic, data: new Uint8Array(8), nonce: 0n }
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([expired]))
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([await valid('late')]))
    await until(async () => (await envelopesCounted(node, 'accepted')) === 1, 'accepted after Status')
    expect(raw.disconnected).toBe(false)
    await raw.peer!.send(WakuCode.messages, encodeEnvelopes([lowPow()]))
    await until(() => raw.disconnected, 'a low-pow envelope is a violation')
  })
})
