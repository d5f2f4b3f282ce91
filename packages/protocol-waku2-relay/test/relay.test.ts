import { DEFAULT_PUBSUB_TOPIC } from '@parley/protocol-waku2'
import { afterEach, describe, expect, it } from 'vitest'
import { RELAY_CODEC } from '../src/index.ts'
import { address, meshed, nextMessage, startRelayNode, stopAll } from './fixtures.ts'

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
  })
})
