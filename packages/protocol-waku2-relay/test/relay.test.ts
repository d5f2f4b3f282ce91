import type { GossipsubMessage } from '@chainsafe/libp2p-gossipsub'
import { createNode } from '@parley/core'
import { privacyProtocol, waku2Relay } from '@parley/interfaces'
import {
  contentTopicToPubsubTopic,
  DEFAULT_PUBSUB_TOPIC,
  encodeWakuMessage,
  formatStaticShardTopic,
  THE_WAKU_NETWORK,
} from '@parley/protocol-waku2'
import { caseById, hex, loadVectors, str, toHex } from '@parley/test-support'
import { libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { RELAY_CODEC, RELAY_TOPIC_SCORE_PARAMS, type WakuRelay, wakuRelay } from '../src/index.ts'
import { address, meshed, nextMessage, startRelayNode, stopAll, waitFor } from './fixtures.ts'

afterEach(stopAll)

const CONTENT_TOPIC = '/parley/1/relay-test/proto'
const utf8 = (text: string) => new TextEncoder().encode(text)

describe('waku2 relay between Parley nodes', () => {
  it('relays over TCP along a chain of three nodes', async () => {
    const [a, b, c] = await Promise.all([startRelayNode(), startRelayNode(), startRelayNode()])
    await a.host.dial(address(b, 'tcp'))
    await b.host.dial(address(c, 'tcp'))
    const [connection] = a.host.node.getConnections(b.host.node.peerId)
    await meshed(b, c, DEFAULT_PUBSUB_TOPIC)
    await meshed(a, b, DEFAULT_PUBSUB_TOPIC)
    expect(connection?.remoteAddr.toString()).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//)
    const streams = connection?.streams.map((stream) => stream.protocol)
    expect(streams).toContain(RELAY_CODEC)

    const atC: ReturnType<typeof nextMessage>[] = []
    const seen: string[] = []
    await c.relay.subscribe({ topics: [CONTENT_TOPIC] }, (message) => seen.push(message.hash))
    atC.push(nextMessage(c))
    const hash = await a.relay.post({ topic: CONTENT_TOPIC, payload: utf8('hello from a') })
    const received = await atC[0]
    expect(received).toMatchObject({
      topic: CONTENT_TOPIC,
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      hash,
      from: b.host.peerId,
    })
    expect(new TextDecoder().decode(received?.payload)).toBe('hello from a')
    expect(Math.abs((received?.timestamp ?? 0) - Date.now())).toBeLessThan(5000)
    expect(seen).toEqual([hash])
    expect(
      a.components.recorded.get(
        `parley_waku2_relay_messages_published_total{pubsub_topic="${DEFAULT_PUBSUB_TOPIC}"}`,
      ),
    ).toBe(1)
    expect(
      c.components.recorded.get(
        `parley_waku2_relay_messages_received_total{pubsub_topic="${DEFAULT_PUBSUB_TOPIC}"}`,
      ),
    ).toBe(1)
    expect(
      c.components.recorded.get(
        `parley_waku2_relay_network_bytes_total{pubsub_topic="${DEFAULT_PUBSUB_TOPIC}",direction="in"}`,
      ),
    ).toBeGreaterThan(DEFAULT_PUBSUB_TOPIC.length + 12)
    const relayBytes = (direction: string) =>
      c.hostComponents.recorded.get(
        `parley_libp2p_protocol_bytes_total{protocol="${RELAY_CODEC}",direction="${direction}"}`,
      )
    expect(relayBytes('in')).toBeGreaterThan(12)
    expect(relayBytes('out')).toBeGreaterThan(0)
  })
})

describe('waku2 relay transports and topics', () => {
  it('relays over WebSocket with autosharding, on the shard the content topic maps to', async () => {
    const [a, b] = await Promise.all([
      startRelayNode({ autosharding: THE_WAKU_NETWORK }),
      startRelayNode({ autosharding: THE_WAKU_NETWORK }),
    ])
    const shard = contentTopicToPubsubTopic(CONTENT_TOPIC, THE_WAKU_NETWORK)
    expect(a.relay.pubsubTopics()).toHaveLength(8)
    expect(a.relay.pubsubTopics()).toContain(shard)
    await a.host.dial(address(b, 'ws'))
    await meshed(b, a, shard)
    expect(a.host.node.getConnections(b.host.node.peerId)[0]?.remoteAddr.toString()).toContain('/ws/')
    const atA = nextMessage(a)
    const meta = new Uint8Array([7, 7])
    const hash = await b.relay.post({ topic: CONTENT_TOPIC, payload: utf8('over ws'), version: 1, meta })
    expect(await atA).toMatchObject({
      topic: CONTENT_TOPIC,
      pubsubTopic: shard,
      hash,
      from: b.host.peerId,
      version: 1,
      meta,
    })
  })

  it('joins a pubsub topic for a subscription and leaves it when the last one goes', async () => {
    const extra = formatStaticShardTopic(16, 32)
    const [a, b] = await Promise.all([startRelayNode(), startRelayNode()])
    await a.host.dial(address(b, 'tcp'))
    const got: string[] = []
    const first = await a.relay.subscribe({ topics: [], pubsubTopic: extra }, (m) =>
      got.push(`all:${m.topic}`),
    )
    const second = await a.relay.subscribe({ topics: ['/x/1/y/proto'], pubsubTopic: extra }, (m) =>
      got.push(`one:${m.topic}`),
    )
    expect(a.relay.pubsubTopics()).toEqual([DEFAULT_PUBSUB_TOPIC, extra])
    await waitFor(() => b.relay.router.getSubscribers(extra).length === 1, 'b to see the subscription')
    const delivered = nextMessage(a)
    await b.relay.post({ topic: '/x/1/y/proto', payload: utf8('shard 32'), pubsubTopic: extra })
    await delivered
    expect(got.sort()).toEqual(['all:/x/1/y/proto', 'one:/x/1/y/proto'])
    await first.unsubscribe()
    expect(a.relay.pubsubTopics()).toContain(extra)
    await second.unsubscribe()
    expect(a.relay.pubsubTopics()).toEqual([DEFAULT_PUBSUB_TOPIC])
    await waitFor(() => b.relay.router.getSubscribers(extra).length === 0, 'b to see the unsubscription')
  })

  it('delivers its own posts to local subscribers, without counting them as received', async () => {
    const a = await startRelayNode()
    const own = nextMessage(a)
    const hash = await a.relay.post({ topic: CONTENT_TOPIC, payload: utf8('to myself'), ephemeral: true })
    const message = await own
    expect(message).toMatchObject({ hash, ephemeral: true, pubsubTopic: DEFAULT_PUBSUB_TOPIC })
    expect(message.from).toBeUndefined()
    expect([...a.components.recorded.keys()].filter((k) => k.includes('received'))).toEqual([])
  })
})

describe('waku2 relay wire format', () => {
  it("runs nwaku's gossipsub parameters on the relay protocol id only", async () => {
    const { relay, host } = await startRelayNode({ gossipsub: { heartbeatInterval: 1000 } })
    const router = relay.router as unknown as { opts: Record<string, unknown>; multicodecs: string[] }
    expect(router.multicodecs).toEqual([RELAY_CODEC])
    expect(router.opts).toMatchObject({
      D: 6,
      Dlo: 4,
      Dhi: 8,
      Dscore: 6,
      Dout: 3,
      Dlazy: 6,
      heartbeatInterval: 1000,
      mcacheLength: 6,
      mcacheGossip: 3,
      fanoutTTL: 60_000,
      seenTTL: 120_000,
      pruneBackoff: 60_000,
      unsubcribeBackoff: 5000,
      floodPublish: true,
      gossipFactor: 0.25,
      fallbackToFloodsub: false,
      scoreThresholds: { gossipThreshold: -100, publishThreshold: -1000, graylistThreshold: -10_000 },
      scoreParams: { decayInterval: 12_000, IPColocationFactorWeight: -50, behaviourPenaltyDecay: 0.986 },
    })
    expect(relay.router.globalSignaturePolicy).toBe('StrictNoSign')
    // Our validator on joined topics; 'ignore' (drop, no penalty) on every other topic.
    const valid = { data: encodeWakuMessage({ payload: utf8('x'), contentTopic: CONTENT_TOPIC }) }
    const peer = host.node.peerId
    const validate = (topic: string) =>
      relay.router.topicValidators.get(topic)?.(peer, { ...valid, topic, type: 'unsigned' })
    expect(validate(DEFAULT_PUBSUB_TOPIC)).toBe('accept')
    expect(validate('/waku/2/rs/0/5')).toBe('ignore')
    expect(relay.router.score.params.topics[DEFAULT_PUBSUB_TOPIC]).toEqual(RELAY_TOPIC_SCORE_PARAMS)
  })

  it('sends unsigned messages whose gossipsub id is the SHA-256 of the WakuMessage (vector)', async () => {
    const vector = caseById(loadVectors('status-payloads.json'), 'waku-message-pb-0')
    const data = hex(vector.expected, 'pb_hex')
    // The vector's timestamp is from 2023; let b accept it.
    const [a, b] = await Promise.all([startRelayNode(), startRelayNode({ maxTimestampDrift: 1e13 })])
    await a.host.dial(address(b, 'tcp'))
    await meshed(a, b, DEFAULT_PUBSUB_TOPIC)
    const arrived = new Promise<GossipsubMessage>((resolve) =>
      b.relay.router.addEventListener('gossipsub:message', (event) => resolve(event.detail), { once: true }),
    )
    await a.relay.router.publish(DEFAULT_PUBSUB_TOPIC, data)
    const { msgId, msg } = await arrived
    expect(msg.type).toBe('unsigned')
    expect(toHex(Uint8Array.from(Buffer.from(msgId, 'base64')))).toBe(
      str(vector.expected, 'gossipsub_message_id_hex'),
    )
  })
})

describe('waku2 relay in a node', () => {
  it('gets a fresh router at each node start and relays again after a restart', async () => {
    const node = createNode({
      name: 'restart',
      logger: { level: 'silent' },
      transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
      protocols: [wakuRelay()],
    })
    const relay = node.get(waku2Relay) as WakuRelay
    expect(node.get(privacyProtocol)).toBe(relay)
    await node.start()
    const first = relay.router
    await node.stop()
    expect(relay.isStarted()).toBe(false)
    await node.start()
    try {
      expect(relay.router).not.toBe(first)
      expect(relay.pubsubTopics()).toEqual([DEFAULT_PUBSUB_TOPIC])
      const own = nextMessage({ relay })
      const hash = await relay.post({ topic: CONTENT_TOPIC, payload: utf8('after restart') })
      expect((await own).hash).toBe(hash)
    } finally {
      await node.stop()
    }
  })
})
