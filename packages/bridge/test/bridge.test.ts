/** The bridge service over in-memory sides: mapping, loops and echoes, drops, rate limits, metrics. */
import { fakeComponents } from '@parley/compliance-tests'
import { encodeEnvelope, envelopePow, hexToTopic } from '@parley/envelope'
import { afterEach, describe, expect, it } from 'vitest'
import { Bridge, type BridgedEvent, type BridgeInit, bridgeMetrics, bridgeSettings } from '../src/index.ts'
import { bytes, CONTENT_TOPIC, envelopeOf, FakeRelay, FakeV1, hashOf, settle, TOPIC } from './fakes.ts'

const started: Bridge[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((bridge) => bridge.stop()))
})

async function setup(init: BridgeInit = {}) {
  const whisper = new FakeV1()
  const waku1 = new FakeV1()
  const relay = new FakeRelay()
  const components = fakeComponents()
  const bridge = new Bridge(
    {
      logger: components.logger.forComponent('bridge'),
      metrics: bridgeMetrics(components.metrics),
      sides: { whisper: whisper.asProtocol(), waku1: waku1.asProtocol(), waku2: relay },
    },
    bridgeSettings({ rateLimit: false, minPow: 0, ...init }),
  )
  await bridge.start()
  started.push(bridge)
  return { whisper, waku1, relay, bridge, recorded: components.recorded }
}

describe('bridge', () => {
  it('hands a v1 envelope unchanged to the other v1 side, and to v2 as a version-1 WakuMessage timestamped expiry − TTL', async () => {
    const { whisper, waku1, relay, bridge } = await setup()
    const bridged = bridgedEvents(bridge)
    const envelope = await envelopeOf(bytes('hello'), { ttl: 30 })
    whisper.receive(envelope)
    await expect.poll(() => bridged.length, { timeout: 10_000 }).toBe(2)
    expect(relay.posted).toEqual([
      {
        topic: CONTENT_TOPIC,
        payload: bytes('hello'),
        version: 1,
        timestamp: BigInt(envelope.expiry - envelope.ttl) * 1_000_000_000n,
      },
    ])
    // the same envelope, so the same hash on both v1 networks, and no PoW spent
    expect(waku1.injected).toEqual([encodeEnvelope(envelope)])
    expect(waku1.posted).toHaveLength(0)
    const toWaku1 = bridged.find((event) => event.to === 'waku1')
    expect(toWaku1).toMatchObject({ hash: hashOf(envelope), delivery: 'injected' })
    expect(whisper.posted).toHaveLength(0) // never back where it came from
    expect(whisper.injected).toHaveLength(0)
    expect(bridge.stats()['whisper->waku2']).toEqual({ bridged: 1, dropped: {} })
    expect(bridge.stats()['whisper->waku1']).toEqual({ bridged: 1, dropped: {} })
  })

  it('re-seals a v2 message on a /waku/1 topic as an envelope with the short TTL and the target PoW', async () => {
    const { whisper, waku1, relay } = await setup({ v1Ttl: 7 })
    whisper.minPow = 0.001
    relay.receive({ payload: bytes('from v2') })
    await settle()
    expect(whisper.posted).toEqual([{ topic: TOPIC, payload: bytes('from v2'), ttl: 7, pow: 0.001 }])
    expect(waku1.posted).toEqual([{ topic: TOPIC, payload: bytes('from v2'), ttl: 7, pow: 0 }])
    expect(relay.posted).toHaveLength(0)
  })

  it('does not echo its own posts and drops a copy coming back from a peer as a duplicate', async () => {
    const { whisper, waku1, relay, bridge } = await setup()
    const envelope = await envelopeOf(bytes('once'))
    whisper.receive(envelope)
    await settle()
    // Our posts came back as envelope:accepted / local deliveries: silently recognised.
    expect(bridge.stats()['waku1->whisper']).toBeUndefined()
    expect(bridge.stats()['waku2->whisper']).toBeUndefined()
    // A peer on the v2 side sends the same payload back; the same envelope arrives again.
    relay.receive({ payload: bytes('once') })
    whisper.receive(envelope)
    await settle()
    expect(whisper.posted).toHaveLength(0)
    expect(whisper.injected).toHaveLength(0)
    expect(waku1.injected).toHaveLength(1)
    expect(relay.posted).toHaveLength(1)
    expect(bridge.stats()['waku2->whisper']?.dropped).toEqual({ duplicate: 1 })
    expect(bridge.stats()['whisper->waku2']?.dropped).toEqual({ duplicate: 1 })
  })

  it('bridges only /waku/1/…/rfc26 content topics with version 1', async () => {
    const { whisper, bridge, relay } = await setup()
    relay.receive({ topic: '/my-app/1/chat/proto', payload: bytes('a') })
    relay.receive({ topic: '/waku/1/0x5C6C9B56/rfc26', payload: bytes('b') }) // not the lowercase form
    relay.receive({ payload: bytes('c'), version: 0 })
    relay.receive({ payload: new Uint8Array(0) })
    relay.receive({ payload: bytes('d'), timestamp: Date.now() - 60_000 })
    await settle()
    expect(whisper.posted).toHaveLength(0)
    expect(bridge.stats()['waku2->whisper']?.dropped).toEqual({
      topic: 2,
      version: 1,
      malformed: 1,
      stale: 1,
    })
  })

  it('re-seals a v1 envelope, with the TTL left and the target PoW, only when the target wants more PoW', async () => {
    const { whisper, waku1, bridge, recorded } = await setup()
    const bridged = bridgedEvents(bridge)
    // A Waku v1 network at PoW 0.002 bridged into a Whisper one demanding more than the envelope has.
    const envelope = await envelopeOf(bytes('light work'), { ttl: 30, pow: 0 })
    whisper.minPow = envelopePow(envelope) + 1
    waku1.receive(envelope)
    await expect
      .poll(() => bridged.filter((event) => event.to === 'whisper'), { timeout: 10_000 })
      .toHaveLength(1)
    expect(whisper.injected).toHaveLength(0)
    expect(whisper.posted).toHaveLength(1)
    expect(whisper.posted[0]).toMatchObject({
      topic: TOPIC,
      payload: bytes('light work'),
      pow: whisper.minPow,
    })
    // the life it had left when bridged: between its TTL and what it has left now (a stall may pass seconds)
    const leftNow = envelope.expiry - Math.floor(Date.now() / 1000)
    expect(whisper.posted[0]?.ttl).toBeGreaterThanOrEqual(Math.min(leftNow, 30))
    expect(whisper.posted[0]?.ttl).toBeLessThanOrEqual(30)
    const toWhisper = bridged.find((event) => event.to === 'whisper')
    expect(toWhisper?.delivery).toBe('resealed')
    expect(toWhisper?.hash).not.toBe(hashOf(envelope))
    expect(recorded.get('parley_bridge_messages_total{from="waku1",to="whisper",result="resealed"}')).toBe(1)
    expect(
      recorded.get('parley_bridge_messages_total{from="waku1",to="whisper",result="bridged"}'),
    ).toBeUndefined()

    // Enough PoW for the target: injected, same hash, counted as bridged.
    const strong = await envelopeOf(bytes('enough work'), { ttl: 30, pow: 0 })
    whisper.minPow = envelopePow(strong)
    waku1.receive(strong)
    await expect
      .poll(() => bridged.filter((event) => event.to === 'whisper'), { timeout: 10_000 })
      .toHaveLength(2)
    expect(whisper.injected).toEqual([encodeEnvelope(strong)])
    expect(bridged.at(-1)).toMatchObject({ to: 'whisper', hash: hashOf(strong), delivery: 'injected' })
    expect(recorded.get('parley_bridge_messages_total{from="waku1",to="whisper",result="bridged"}')).toBe(1)
    expect(whisper.posted).toHaveLength(1)
    expect(bridge.stats()['waku1->whisper']).toEqual({ bridged: 2, dropped: {} })
  })

  it('re-seals an envelope the target refuses to take as it is (its topic interest), rather than losing it', async () => {
    const { whisper, waku1, bridge, recorded } = await setup()
    const bridged = bridgedEvents(bridge)
    waku1.refuseInjections = true
    whisper.receive(await envelopeOf(bytes('elsewhere wanted')))
    await expect
      .poll(() => bridged.filter((event) => event.to === 'waku1'), { timeout: 10_000 })
      .toHaveLength(1)
    expect(waku1.injected).toHaveLength(0)
    expect(waku1.posted.map((message) => message.payload)).toEqual([bytes('elsewhere wanted')])
    expect(recorded.get('parley_bridge_messages_total{from="whisper",to="waku1",result="resealed"}')).toBe(1)
  })

  it('drops oversized, expiring, low-PoW and malformed v1 traffic before it reaches another side', async () => {
    const { whisper, waku1, relay, bridge, recorded } = await setup({ maxPayloadSize: 100, minPow: 0.5 })
    whisper.receive(await envelopeOf(new Uint8Array(101), { pow: 1 }))
    whisper.receive(await envelopeOf(bytes('short'), { ttl: 1, pow: 1 }))
    // Nonce 0 of a short envelope reaches 0.5 about once in 500 seconds of wall clock: step past it.
    let weak = await envelopeOf(bytes('weak'), { ttl: 30, pow: 0 })
    while (envelopePow(weak) >= 0.5) weak = { ...weak, nonce: weak.nonce + 1n }
    whisper.receive(weak)
    whisper.receive(Uint8Array.of(0xc0, 0x01))
    await settle()
    expect(waku1.posted).toHaveLength(0)
    expect(relay.posted).toHaveLength(0)
    const dropped = { 'too-big': 1, expired: 1, 'low-pow': 1, malformed: 1 }
    expect(bridge.stats()['whisper->waku1']?.dropped).toEqual(dropped)
    expect(bridge.stats()['whisper->waku2']?.dropped).toEqual(dropped)
    expect(recorded.get('parley_bridge_messages_total{from="whisper",to="waku2",result="low-pow"}')).toBe(1)
  })

  it('drops what the target would refuse: too big for its max message size, too old for the v2 relay', async () => {
    const { whisper, waku1, relay, bridge } = await setup()
    waku1.maxMessageSize = 50
    whisper.receive(await envelopeOf(new Uint8Array(40)))
    // Sealed 25 s ago with a 60 s TTL: alive for v1, outside the v2 relay's 20 s window.
    whisper.receive(await envelopeOf(bytes('old'), { ttl: 60, now: Math.floor(Date.now() / 1000) - 25 }))
    await settle()
    expect(bridge.stats()['whisper->waku1']).toEqual({ bridged: 1, dropped: { 'too-big': 1 } })
    expect(bridge.stats()['whisper->waku2']).toEqual({ bridged: 1, dropped: { stale: 1 } })
    expect(waku1.injected).toHaveLength(1)
    expect(waku1.posted).toHaveLength(0)
    expect(relay.posted.map((m) => m.payload)).toEqual([new Uint8Array(40)])
  })

  it('rate-limits each direction on its own', async () => {
    // a still clock: the buckets do not refill however slowly the machine runs the test
    const frozen = Date.now()
    const { whisper, waku1, relay, bridge } = await setup({
      rateLimit: { messagesPerSecond: 1, burst: 2 },
      now: () => frozen,
    })
    for (let i = 0; i < 5; i++) relay.receive({ payload: bytes(`flood ${i}`) })
    whisper.receive(await envelopeOf(bytes('calm')))
    await settle()
    expect(bridge.stats()['waku2->whisper']).toEqual({ bridged: 2, dropped: { 'rate-limit': 3 } })
    expect(bridge.stats()['waku2->waku1']).toEqual({ bridged: 2, dropped: { 'rate-limit': 3 } })
    expect(bridge.stats()['whisper->waku2']).toEqual({ bridged: 1, dropped: {} })
    expect(whisper.posted).toHaveLength(2)
    expect(waku1.posted).toHaveLength(2)
    expect(waku1.injected).toHaveLength(1) // the envelope from Whisper
    expect(relay.posted).toHaveLength(1)
  })

  it('bounds the posts in flight per direction', async () => {
    const { whisper, relay, bridge } = await setup({ maxPending: 2, sides: undefined })
    whisper.postDelayMs = 50
    for (let i = 0; i < 4; i++) relay.receive({ payload: bytes(`burst ${i}`) })
    // the two in flight finish once their 50 ms posts do, which a loaded machine may stretch
    await expect
      .poll(() => bridge.stats()['waku2->whisper'], { timeout: 10_000 })
      .toEqual({ bridged: 2, dropped: { backlog: 2 } })
    await settle(120)
    expect(whisper.posted).toHaveLength(2)
  })

  it('counts a failed post and keeps going', async () => {
    const { waku1, relay, bridge } = await setup()
    waku1.post = async () => {
      throw new Error('peer gone')
    }
    relay.receive({ payload: bytes('x') })
    await settle()
    expect(bridge.stats()['waku2->waku1']).toEqual({ bridged: 0, dropped: { failed: 1 } })
    expect(bridge.stats()['waku2->whisper']).toEqual({ bridged: 1, dropped: {} })
  })

  it('bridges only the configured topics', async () => {
    const { whisper, waku1, bridge } = await setup({ topics: ['0x01020304'] })
    whisper.receive(await envelopeOf(bytes('elsewhere')))
    await settle()
    expect(waku1.posted).toHaveLength(0)
    expect(bridge.stats()['whisper->waku1']?.dropped).toEqual({ topic: 1 })
    expect(hexToTopic(TOPIC)).not.toEqual(hexToTopic('0x01020304'))
  })

  it('stops listening on stop and emits message:bridged with the latency', async () => {
    const { whisper, relay, bridge } = await setup()
    const events: string[] = []
    bridge.addEventListener('message:bridged', ({ detail }) => {
      expect(detail.latencyMs).toBeGreaterThanOrEqual(0)
      events.push(`${detail.from}->${detail.to} ${detail.topic}`)
    })
    relay.receive({ payload: bytes('one') })
    await settle()
    expect(events.sort()).toEqual([`waku2->waku1 ${TOPIC}`, `waku2->whisper ${TOPIC}`])
    await bridge.stop()
    expect(relay.subscribers).toBe(0)
    relay.receive({ payload: bytes('two') })
    await settle()
    expect(whisper.posted).toHaveLength(1)
  })
})

/** Every `message:bridged` the bridge emits from now on. */
function bridgedEvents(bridge: Bridge): BridgedEvent[] {
  const events: BridgedEvent[] = []
  bridge.addEventListener('message:bridged', ({ detail }) => events.push(detail))
  return events
}
