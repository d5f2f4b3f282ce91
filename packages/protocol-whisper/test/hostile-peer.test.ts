import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelopes,
  type Envelope,
  encodeBloomFilter,
  encodeEnvelopes,
  encodePowRequirement,
  encodeWhisperStatus,
  fullBloom,
  sealEnvelope,
  topicFromName,
  topicToBloom,
  topicToHex,
  validateEnvelope,
  WhisperCode,
} from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  dialRaw,
  envelopeBelowPow,
  envelopesCounted,
  nowSeconds,
  pause,
  RAW_WHISPER_STATUS,
  type RawPeer,
  rawPeer,
  shh,
  startBoth,
  stoppedAfterEach,
  until,
  whisperNode,
} from './helpers.ts'

const topic = topicFromName('parley-hostile')
const T = topicToHex(topic)

const nodes = stoppedAfterEach()

async function setup(init = {}): Promise<{ node: ParleyNode; raw: RawPeer; got: ReceivedMessage[] }> {
  const node = whisperNode('target', init)
  const raw = rawPeer('raw')
  await startBoth(nodes, node, raw)
  const got: ReceivedMessage[] = []
  await shh(node).subscribe({ topics: [T] }, (message) => got.push(message))
  await dialRaw(raw, node)
  return { node, raw, got }
}

async function valid(text: string): Promise<Envelope> {
  return sealEnvelope({ topic, data: utf8ToBytes(text), ttl: 30, pow: 0.002 })
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

describe('whisper against a hand-driven peer', () => {
  it('sends its Status first: version 6, our pow and bloom', async () => {
    const { raw } = await setup()
    await until(() => raw.received.length > 0, 'Status received')
    expect(raw.received[0]!.code).toBe(WhisperCode.status)
    expect(raw.received[0]!.payload).toEqual(RAW_WHISPER_STATUS)
  })

  it('drops and counts low-pow and expired envelopes, and keeps working', async () => {
    const { node, raw, got } = await setup()
    await raw.peer!.send(WhisperCode.status, RAW_WHISPER_STATUS)
    const now = nowSeconds()
    const expired = { expiry: now - 3, ttl: 10, topic, data: new Uint8Array(8), nonce: 0n }
    const tooOld = { expiry: now - 100, ttl: 10, topic, data: new Uint8Array(8), nonce: 0n }
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([lowPow(), expired, tooOld]))
    await until(async () => (await envelopesCounted(node, 'too-old')) === 1, 'the bad packet handled')
    const good = await valid('still here')
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([good]))
    await until(() => got.length === 1, 'the valid envelope after the bad ones arrived')
    expect(await envelopesCounted(node, 'low-pow')).toBe(1)
    expect(await envelopesCounted(node, 'expired')).toBe(1)
    expect(await envelopesCounted(node, 'too-old')).toBe(1)
    expect(await envelopesCounted(node, 'accepted')).toBe(1)
    expect(raw.disconnected).toBe(false)
  })

  it('counts a repeated envelope as a duplicate and delivers it once', async () => {
    const { node, raw, got } = await setup()
    await raw.peer!.send(WhisperCode.status, RAW_WHISPER_STATUS)
    const envelope = await valid('twice')
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([envelope, envelope]))
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([envelope]))
    await until(async () => (await envelopesCounted(node, 'duplicate')) === 2, 'two duplicates')
    expect(got).toHaveLength(1)
  })

  it('counts a garbage Messages packet without crashing, then disconnects a repeat offender', async () => {
    const { node, raw, got } = await setup({ maxPeerViolations: 3 })
    await raw.peer!.send(WhisperCode.status, RAW_WHISPER_STATUS)
    await raw.peer!.send(WhisperCode.messages, Uint8Array.of(0xde, 0xad, 0xbe, 0xef))
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([await valid('after garbage')]))
    await until(() => got.length === 1, 'a valid envelope after garbage')
    expect(await envelopesCounted(node, 'decode-error')).toBe(1)
    expect(raw.disconnected).toBe(false)
    await raw.peer!.send(WhisperCode.messages, Uint8Array.of(0xc1, 0x00))
    await raw.peer!.send(WhisperCode.messages, Uint8Array.of(0x05))
    await until(() => raw.disconnected, 'the third violation disconnects')
    expect(await envelopesCounted(node, 'decode-error')).toBe(3)
    expect(node.status).toBe('started')
  })

  it('disconnects a peer that sends no Status in time, and one that sends a bad Status', async () => {
    const silent = await setup({ statusTimeoutMs: 100 })
    await until(() => silent.raw.disconnected, 'silent peer disconnected')
    // A node that would wait a minute for a Status: only the bad one can end this connection.
    const patient = await setup({ statusTimeoutMs: 60_000 })
    const wrongVersion = rawPeer('raw2')
    nodes.push(wrongVersion.node)
    await wrongVersion.node.start()
    await dialRaw(wrongVersion, patient.node)
    await wrongVersion.peer!.send(WhisperCode.status, Uint8Array.of(0xc1, 0x05)) // [5]
    await until(() => wrongVersion.disconnected, 'version 5 peer disconnected')
  })

  it('honours the Bloom Filter (3) a peer sends: nothing outside it is sent to it', async () => {
    const { node, raw } = await setup()
    const other = topicFromName('parley-other')
    await raw.peer!.send(WhisperCode.status, RAW_WHISPER_STATUS)
    await raw.peer!.send(WhisperCode.bloomFilter, encodeBloomFilter(topicToBloom(other)))
    // A Messages packet after the bloom update: once it is accepted the update has been applied.
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([await valid('marker')]))
    await until(async () => (await envelopesCounted(node, 'accepted')) === 1, 'marker accepted')
    await shh(node).post({ topic: T, payload: utf8ToBytes('excluded') })
    await shh(node).post({ topic: topicToHex(other), payload: utf8ToBytes('wanted') })
    await until(() => raw.received.some((m) => m.code === WhisperCode.messages), 'messages to raw')
    await pause(100)
    const packets = raw.received.filter((m) => m.code === WhisperCode.messages)
    expect(packets).toHaveLength(1)
    const sent = decodeEnvelopes(packets[0]!.payload)
    expect(sent.map((envelope) => topicToHex(envelope.topic))).toEqual([topicToHex(other)])
  })

  it('honours the PoW Requirement (2) a peer sends', async () => {
    const { node, raw } = await setup()
    await raw.peer!.send(
      WhisperCode.status,
      encodeWhisperStatus({ pow: UNREACHABLE_POW, bloom: fullBloom() }),
    )
    await until(() => shh(node).readyPeers().length === 1, 'status accepted')
    await shh(node).post({ topic: T, payload: utf8ToBytes('too cheap for this peer') })
    await pause(150)
    expect(raw.received.filter((m) => m.code === WhisperCode.messages)).toHaveLength(0)
    // Control: once the peer lowers its requirement (2), the next post reaches it.
    await raw.peer!.send(WhisperCode.powRequirement, encodePowRequirement(0))
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([await valid('marker')]))
    await until(async () => (await envelopesCounted(node, 'accepted')) === 1, 'marker accepted')
    await shh(node).post({ topic: T, payload: utf8ToBytes('now cheap enough') })
    await until(() => raw.received.some((m) => m.code === WhisperCode.messages), 'post reached the peer')
  })

  it('treats packets before the Status as violations', async () => {
    const { node, raw } = await setup({ maxPeerViolations: 2 })
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([await valid('too early')]))
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([await valid('still too early')]))
    await until(() => raw.disconnected, 'disconnected for skipping the Status')
    expect(await envelopesCounted(node, 'accepted')).toBe(0)
  })
})
