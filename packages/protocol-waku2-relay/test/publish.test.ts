import type { WakuRelayedMessage } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC, encodeWakuMessage } from '@parley/protocol-waku2'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayRejectedError } from '../src/index.ts'
import { address, meshed, type RelayNode, startRelayNode, stopAll } from './fixtures.ts'

afterEach(stopAll)

const CONTENT_TOPIC = '/parley/1/publish-test/proto'
const NS_PER_MS = 1_000_000n

function wire(text: string, timestamp = BigInt(Date.now()) * NS_PER_MS): Uint8Array {
  return encodeWakuMessage({
    payload: new TextEncoder().encode(text),
    contentTopic: CONTENT_TOPIC,
    timestamp,
  })
}

function relayed(node: RelayNode): WakuRelayedMessage[] {
  const seen: WakuRelayedMessage[] = []
  node.relay.addEventListener('message:relayed', (event) => seen.push(event.detail))
  return seen
}

describe('publishMessage and message:relayed', () => {
  it('publishes exact bytes, names the recipients, and tells a duplicate from no peers', async () => {
    const [a, b] = await Promise.all([startRelayNode(), startRelayNode()])
    const alone = await a.relay.publishMessage(DEFAULT_PUBSUB_TOPIC, wire('nobody hears'))
    expect(alone).toMatchObject({ recipients: [], duplicate: false })

    await a.host.dial(address(b, 'tcp'))
    await meshed(a, b, DEFAULT_PUBSUB_TOPIC)
    const atA = relayed(a)
    const atB = relayed(b)
    const bytes = wire('to b')
    const result = await a.relay.publishMessage(DEFAULT_PUBSUB_TOPIC, bytes)
    expect(result.recipients).toEqual([b.host.peerId])
    expect(result.duplicate).toBe(false)
    expect(result.hash).toMatch(/^0x[0-9a-f]{64}$/)
    await expect.poll(() => atB.length, { timeout: 10_000 }).toBe(1)
    const plain = ({ bytes: data, ...rest }: WakuRelayedMessage) => ({ ...rest, bytes: [...data] })
    expect(plain(atB[0]!)).toEqual({
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
      bytes: [...bytes],
      hash: result.hash,
      from: a.host.peerId,
    })
    // our own publication is relayed locally too, without `from`
    expect(atA.map(plain)).toEqual([
      { pubsubTopic: DEFAULT_PUBSUB_TOPIC, bytes: [...bytes], hash: result.hash },
    ])

    const again = await a.relay.publishMessage(DEFAULT_PUBSUB_TOPIC, bytes)
    expect(again).toEqual({ hash: result.hash, recipients: [], duplicate: true })
  })

  it('refuses what its validator rejects, with the reason', async () => {
    const node = await startRelayNode({ maxMessageSize: 1024 })
    const reasonOf = async (bytes: Uint8Array) =>
      node.relay.publishMessage(DEFAULT_PUBSUB_TOPIC, bytes).then(
        () => 'published',
        (error: unknown) => (error instanceof RelayRejectedError ? error.reason : String(error)),
      )
    expect(await reasonOf(wire('x'.repeat(2000)))).toBe('oversize')
    expect(await reasonOf(new Uint8Array([0xff, 0xff]))).toBe('undecodable')
    expect(await reasonOf(wire('old', BigInt(Date.now() - 60_000) * NS_PER_MS))).toBe('timestamp-old')
    expect(await reasonOf(wire('future', BigInt(Date.now() + 60_000) * NS_PER_MS))).toBe('timestamp-future')
    await expect(node.relay.publishMessage('not/a/topic', wire('x'))).rejects.toMatchObject({
      name: 'InvalidParametersError',
    })
    expect(node.relay.pubsubTopicFor(CONTENT_TOPIC)).toBe(DEFAULT_PUBSUB_TOPIC)
  })
})
