/** Rate limits on a live session, and the node events and metrics of the envelope pipeline. */
import type { ParleyNode } from '@parley/core'
import { bytesToHex, keccak256, utf8ToBytes } from '@parley/crypto'
import { encodeEnvelopes, sealEnvelope, topicFromName, topicToHex, WhisperCode } from '@parley/envelope'
import type { EnvelopeExpiredEvent, EnvelopeSentEvent } from '@parley/protocol-whisper'
import { describe, expect, it } from 'vitest'
import type { WhisperInit } from '../src/index.ts'
import {
  dialRaw,
  envelopesCounted,
  nodeId,
  RAW_WHISPER_STATUS,
  type RawPeer,
  rawPeer,
  shh,
  startBoth,
  stoppedAfterEach,
  until,
  whisperHandshake,
  whisperNode,
} from './helpers.ts'

const topic = topicFromName('parley-limits')
const T = topicToHex(topic)

const nodes = stoppedAfterEach()

async function setup(init: WhisperInit = {}): Promise<{ node: ParleyNode; raw: RawPeer }> {
  const node = whisperNode('target', init)
  const raw = rawPeer('raw')
  await startBoth(nodes, node, raw)
  await dialRaw(raw, node)
  await whisperHandshake(raw, node)
  return { node, raw }
}

/** The value of the metric line that starts with `prefix` (0 when absent). */
async function metric(node: ParleyNode, prefix: string): Promise<number> {
  const text = await node.metrics.expose()
  const line = text.split('\n').find((row) => row.startsWith(prefix))
  return line === undefined ? 0 : Number(line.split(' ').pop())
}

/**
 * Sends `count` Messages packets back to back. The envelopes are sealed first: the limiter refills
 * on the wall clock, and sealing between sends on a loaded machine could spread the burst over
 * enough time for the buckets to refill.
 */
async function burst(raw: RawPeer, count: number): Promise<void> {
  const packets: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const envelope = await sealEnvelope({ topic, data: utf8ToBytes(`burst ${i}`), ttl: 30, pow: 0.002 })
    packets.push(encodeEnvelopes([envelope]))
  }
  for (const packet of packets) await raw.peer!.send(WhisperCode.messages, packet)
}

const hits = 'parley_whisper_rate_limit_hits_total{limit="peer"}'

describe('whisper rate limits on a live session', () => {
  it('drops and counts packets over the per-peer limit, and keeps the session under the tolerance', async () => {
    const { node, raw } = await setup({ rateLimits: { peerPackets: 3 }, rateLimitTolerance: 0 })
    await burst(raw, 8) // the Status took one token: 2 Messages pass at once, the rest mostly not
    const handled = async () =>
      (await envelopesCounted(node, 'accepted')) + (await envelopesCounted(node, 'rate-limit'))
    await until(async () => (await handled()) === 8, 'every packet accepted or dropped')
    const accepted = await envelopesCounted(node, 'accepted')
    expect(accepted).toBeGreaterThanOrEqual(2)
    expect(accepted).toBeLessThan(8)
    expect(await metric(node, hits)).toBe(8 - accepted)
    expect(raw.disconnected).toBe(false)
  })

  it('disconnects a peer after rateLimitTolerance packets over the limit', async () => {
    const { raw } = await setup({ rateLimits: { peerPackets: 2 }, rateLimitTolerance: 3 })
    await burst(raw, 8)
    await until(() => raw.disconnected, 'disconnected at the tolerance')
  })

  it('exempts trusted peers, and is off by default', async () => {
    const limited = await setup({ rateLimits: { peerPackets: 2 }, rateLimitTolerance: 0 })
    shh(limited.node).markTrustedPeer(nodeId(limited.raw.node))
    await burst(limited.raw, 6)
    await until(async () => (await envelopesCounted(limited.node, 'accepted')) === 6, 'all accepted')
    expect(await metric(limited.node, hits)).toBe(0)
    await Promise.all(nodes.map((node) => node.stop()))
    const open = await setup()
    await burst(open.raw, 12)
    await until(async () => (await envelopesCounted(open.node, 'accepted')) === 12, 'all accepted')
    expect(await metric(open.node, hits)).toBe(0)
  })
})

describe('whisper events and metrics', () => {
  it('emits envelope:sent with the batch hash a confirming peer would acknowledge', async () => {
    const { node, raw } = await setup()
    const sent: EnvelopeSentEvent[] = []
    node.events.addEventListener('envelope:sent', (event) => sent.push(event.detail))
    const hash = await shh(node).post({ topic: T, payload: utf8ToBytes('mine') })
    await until(() => sent.length === 1, 'envelope:sent')
    const packet = raw.received.find((received) => received.code === WhisperCode.messages)
    expect(sent[0]).toEqual({
      protocol: 'shh/6',
      hash,
      topic: T,
      peer: nodeId(raw.node),
      batch: `0x${bytesToHex(keccak256(packet!.payload))}`,
    })
    expect(await metric(node, 'parley_whisper_envelopes_relayed_total')).toBe(1)
    expect(await metric(node, 'parley_whisper_pow_seal_seconds_count')).toBe(1)
    expect(await metric(node, 'parley_whisper_bytes_total{direction="out"}')).toBeGreaterThan(
      packet!.payload.length,
    )
    expect(await metric(node, 'parley_whisper_bytes_total{direction="in"}')).toBe(RAW_WHISPER_STATUS.length)
  })

  it('emits envelope:expired when the sweep drops an envelope from the pool', async () => {
    let now = Math.floor(Date.now() / 1000)
    const node = whisperNode('sweeper', { now: () => now })
    nodes.push(node)
    await node.start()
    const expired: EnvelopeExpiredEvent[] = []
    node.events.addEventListener('envelope:expired', (event) => expired.push(event.detail))
    const hash = await shh(node).post({ topic: T, payload: utf8ToBytes('short-lived'), ttl: 5 })
    now += 10
    await until(() => expired.length === 1, 'envelope:expired')
    expect(expired[0]).toEqual({ protocol: 'shh/6', hash, topic: T })
  })
})
