import { GossipSub } from '@chainsafe/libp2p-gossipsub'
import { fakeComponents } from '@parley/compliance-tests'
import { DEFAULT_PUBSUB_TOPIC, encodeWakuMessage } from '@parley/protocol-waku2'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { RELAY_CODEC, wakuRelay } from '../src/index.ts'
import { address, LOOPBACK, meshed, nextMessage, startRelayNode, stopAll, waitFor } from './fixtures.ts'

const hosts: Libp2pHostService[] = []
afterEach(async () => {
  await stopAll()
  await Promise.all(hosts.splice(0).map((host) => host.stop()))
})

const CONTENT_TOPIC = '/parley/1/rejections/proto'
const NS = 1_000_000n
const rejected = (reason: string) => `parley_waku2_relay_messages_rejected_total{reason="${reason}"}`

describe('waku2 relay validation on the wire', () => {
  it('rejects oversize, old, future and undecodable messages, counts them, and keeps relaying', async () => {
    const [sender, receiver] = await Promise.all([startRelayNode(), startRelayNode()])
    await sender.host.dial(address(receiver, 'tcp'))
    await meshed(sender, receiver, DEFAULT_PUBSUB_TOPIC)
    const rejections: string[] = []
    receiver.components.events.addEventListener('envelope:rejected', (event) => {
      expect(event.detail).toMatchObject({ protocol: 'waku2', from: sender.host.peerId })
      rejections.push(event.detail.reason)
    })
    const delivered: string[] = []
    receiver.relay.addEventListener('message:received', (event) => delivered.push(event.detail.hash))

    const now = BigInt(Date.now()) * NS
    const bad = [
      encodeWakuMessage({ payload: new Uint8Array(160 * 1024), contentTopic: CONTENT_TOPIC }),
      encodeWakuMessage({
        payload: new Uint8Array([1]),
        contentTopic: CONTENT_TOPIC,
        timestamp: now - 60_000n * NS,
      }),
      encodeWakuMessage({
        payload: new Uint8Array([2]),
        contentTopic: CONTENT_TOPIC,
        timestamp: now + 60_000n * NS,
      }),
      new Uint8Array([0x0a, 0x09, 0x01]),
    ]
    // The router's own publish skips validation, so these reach the receiver as a bad peer would send them.
    for (const data of bad) await sender.relay.router.publish(DEFAULT_PUBSUB_TOPIC, data)
    await waitFor(() => rejections.length === 4, 'four rejections')
    expect(rejections).toEqual(['oversize', 'timestamp-old', 'timestamp-future', 'undecodable'])
    for (const reason of rejections) expect(receiver.components.recorded.get(rejected(reason))).toBe(1)
    expect(delivered).toEqual([])

    const good = nextMessage(receiver)
    const hash = await sender.relay.post({ topic: CONTENT_TOPIC, payload: new Uint8Array([3]) })
    expect((await good).hash).toBe(hash)
    expect(receiver.relay.isStarted()).toBe(true)
    // Invalid deliveries cost the sender score (nwaku's P4 weight -100), as they should.
    // (gossipsub caches scores for a heartbeat, so wait for the recomputation)
    await waitFor(() => receiver.relay.router.getScore(sender.host.peerId) < -1000, 'the penalty')
  })
})

describe('waku2 relay signature policy', () => {
  it('drops a signed message (StrictNoSign) and penalises its sender', async () => {
    const ours = await startRelayNode()
    // A relay peer that signs: plain gossipsub with StrictSign on the relay protocol id.
    const host = libp2p({ listen: LOOPBACK }).create(fakeComponents())
    hosts.push(host)
    host.addService('pubsub', (components: ConstructorParameters<typeof GossipSub>[0]) => {
      const router = new GossipSub(components, {
        globalSignaturePolicy: 'StrictSign',
        fallbackToFloodsub: false,
      })
      router.multicodecs = [RELAY_CODEC]
      return router
    })
    await host.start()
    const signer = host.node.services.pubsub as GossipSub
    signer.subscribe(DEFAULT_PUBSUB_TOPIC)
    await host.dial(address(ours, 'tcp'))
    await waitFor(() => signer.getSubscribers(DEFAULT_PUBSUB_TOPIC).length === 1, 'the signer to see us')
    const delivered: string[] = []
    ours.relay.addEventListener('message:received', (event) => delivered.push(event.detail.hash))
    const data = encodeWakuMessage({
      payload: new Uint8Array([1]),
      contentTopic: CONTENT_TOPIC,
      timestamp: BigInt(Date.now()) * NS,
    })
    const { recipients } = await signer.publish(DEFAULT_PUBSUB_TOPIC, data)
    expect(recipients.map(String)).toEqual([ours.host.peerId])
    await waitFor(() => ours.relay.router.getScore(host.peerId) < 0, 'the invalid-message penalty')
    expect(delivered).toEqual([])
  })
})

describe('waku2 relay API errors', () => {
  it('refuses to post above the size limit, when aborted, or once stopped', async () => {
    const { relay } = await startRelayNode({ maxMessageSize: 100 })
    await expect(relay.post({ topic: CONTENT_TOPIC, payload: new Uint8Array(200) })).rejects.toMatchObject({
      name: 'LimitExceededError',
    })
    await expect(
      relay.post({ topic: CONTENT_TOPIC, payload: new Uint8Array(1) }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    const badTopic = { name: 'InvalidParametersError' }
    await expect(
      relay.post({ topic: CONTENT_TOPIC, payload: new Uint8Array(1), pubsubTopic: '/eth2/blocks' }),
    ).rejects.toMatchObject(badTopic)
    await expect(
      relay.subscribe({ topics: [], pubsubTopic: '/waku/2/rs/1/9999' }, () => {}),
    ).rejects.toMatchObject(badTopic)
    await expect(relay.subscribe({ topics: [] }, () => {})).rejects.toMatchObject({
      name: 'InvalidParametersError',
    })
    await relay.stop()
    await expect(relay.post({ topic: CONTENT_TOPIC, payload: new Uint8Array(1) })).rejects.toMatchObject({
      name: 'NotStartedError',
    })
  })

  it('rejects bad options where they are written', () => {
    const invalid = expect.objectContaining({ name: 'InvalidConfigError' })
    expect(() => wakuRelay({ maxMessageSize: 0 })).toThrow(invalid)
    expect(() => wakuRelay({ maxTimestampDrift: -1 })).toThrow(invalid)
    expect(() => wakuRelay({ pubsubTopics: ['/not/waku'] })).toThrow(invalid)
    expect(() => wakuRelay({ pubsubTopics: ['/waku/2/rs/0/1024'] })).toThrow(invalid)
    expect(() => wakuRelay({ autosharding: { clusterId: 70_000, shardCount: 8 } })).toThrow(invalid)
    expect(() => wakuRelay({ autosharding: { clusterId: 1, shardCount: 0 } })).toThrow(invalid)
    expect(() => wakuRelay({ pubsubTopics: [] })).toThrow(invalid)
  })
})

describe('waku2 relay waitForPeers', () => {
  it('resolves once a peer relays the topic, and honours its signal', async () => {
    const [a, b] = await Promise.all([startRelayNode(), startRelayNode()])
    const controller = new AbortController()
    const aborted = a.relay.waitForPeers('/waku/2/rs/0/9', { signal: controller.signal })
    const waiting = a.relay.waitForPeers()
    await a.host.dial(address(b, 'tcp'))
    await waiting
    expect(a.relay.router.getSubscribers(DEFAULT_PUBSUB_TOPIC).map(String)).toEqual([b.host.peerId])
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' })
  })
})
