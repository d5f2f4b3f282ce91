import type { ReceivedMessage } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC, encodeWakuMessage } from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import { afterEach, describe, expect, it } from 'vitest'
import { LIGHTPUSH_V2_CODEC, LIGHTPUSH_V3_CODEC, LightpushError, LightpushStatus } from '../src/index.ts'
import {
  relayPeers,
  startLightNode,
  startRelayNode,
  startServiceNode,
  stopAll,
  text,
  utf8,
} from './fixtures.ts'

afterEach(stopAll)

const CONTENT = '/parley/1/lightpush-test/proto'

function nextMessage(node: {
  relay: {
    addEventListener: (
      type: 'message:received',
      listener: (event: CustomEvent<ReceivedMessage>) => void,
      options: { once: true },
    ) => void
  }
}): Promise<ReceivedMessage> {
  return new Promise((resolve) =>
    node.relay.addEventListener('message:received', (event) => resolve(event.detail), { once: true }),
  )
}

describe('lightpush through a Parley service node', () => {
  for (const version of ['v3', 'v2'] as const) {
    it(`relays a pushed message to the network over ${version}`, async () => {
      const service = await startServiceNode()
      const peer = await startRelayNode()
      await relayPeers(service, peer)
      const light = await startLightNode()
      const arrived = nextMessage(peer)
      const result = await light.client.lightpush(
        service.address,
        { contentTopic: CONTENT, payload: utf8(`via ${version}`), pubsubTopic: DEFAULT_PUBSUB_TOPIC },
        { protocols: [version] },
      )
      expect(result.protocol).toBe(version === 'v3' ? LIGHTPUSH_V3_CODEC : LIGHTPUSH_V2_CODEC)
      if (version === 'v3') expect(result.relayPeerCount).toBe(1)
      const message = await arrived
      expect(text(message.payload)).toBe(`via ${version}`)
      expect(message.hash).toBe(result.hash)
      expect(
        service.components.recorded.get(
          `parley_waku2_lightpush_responses_total{protocol="${version}",status_code="200"}`,
        ),
      ).toBe(1)
    })
  }

  it('prefers 3.0.0, and lets the service pick the pubsub topic when none is given', async () => {
    const service = await startServiceNode()
    const peer = await startRelayNode()
    await relayPeers(service, peer)
    const light = await startLightNode()
    const arrived = nextMessage(peer)
    const result = await light.client.lightpush(service.address, {
      contentTopic: CONTENT,
      payload: utf8('auto'),
    })
    expect(result.protocol).toBe(LIGHTPUSH_V3_CODEC)
    expect(result.hash).toBeUndefined()
    expect((await arrived).pubsubTopic).toBe(DEFAULT_PUBSUB_TOPIC)
  })

  it('answers nwaku status codes: no peers 505, unsupported topic 421, stale timestamp 420, duplicate 420', async () => {
    const service = await startServiceNode()
    const light = await startLightNode()
    const push = (
      fields: { pubsubTopic?: string; timestamp?: bigint },
      protocols: Array<'v3' | 'v2'> = ['v3'],
    ) =>
      light.client
        .lightpush(service.address, { contentTopic: CONTENT, payload: utf8('x'), ...fields }, { protocols })
        .catch((error: unknown) => error)

    const alone = await push({})
    expect(alone).toBeInstanceOf(LightpushError)
    expect(alone).toMatchObject({
      statusCode: LightpushStatus.NO_PEERS_TO_RELAY,
      statusDesc: 'No peers for topic, skipping publish',
    })
    expect(await push({ pubsubTopic: DEFAULT_PUBSUB_TOPIC }, ['v2'])).toMatchObject({
      statusCode: undefined,
      statusDesc: 'not_published_to_any_peer',
    })

    const peer = await startRelayNode()
    await relayPeers(service, peer)
    expect(await push({ pubsubTopic: '/waku/2/rs/16/32' })).toMatchObject({
      statusCode: LightpushStatus.UNSUPPORTED_PUBSUB_TOPIC,
    })
    expect(await push({ timestamp: 1n })).toMatchObject({
      statusCode: LightpushStatus.INVALID_MESSAGE,
      statusDesc: 'invalid message: timestamp is too old',
    })
    const timestamp = BigInt(Date.now()) * 1_000_000n
    expect(await push({ timestamp })).toMatchObject({ relayPeerCount: 1 })
    expect(await push({ timestamp })).toMatchObject({
      statusCode: LightpushStatus.INVALID_MESSAGE,
      statusDesc: 'Dropping already-seen message',
    })
    expect(await push({ timestamp, pubsubTopic: DEFAULT_PUBSUB_TOPIC }, ['v2'])).toMatchObject({
      statusDesc: 'Dropping already-seen message',
    })
  })
})

describe('the service pushing for its own node', () => {
  it('push() validates and relays exact bytes with the same status codes, counting them as local', async () => {
    const service = await startServiceNode()
    const bytes = encodeWakuMessage({
      payload: utf8('local'),
      contentTopic: CONTENT,
      timestamp: BigInt(Date.now()) * 1_000_000n,
    })
    expect(await service.lightpush.push(undefined, bytes)).toMatchObject({
      statusCode: LightpushStatus.NO_PEERS_TO_RELAY,
    })
    const peer = await startRelayNode()
    await relayPeers(service, peer)
    const arrived = nextMessage(peer)
    const again = encodeWakuMessage({
      payload: utf8('local'),
      contentTopic: CONTENT,
      timestamp: BigInt(Date.now() + 1) * 1_000_000n,
    })
    expect(await service.lightpush.push(DEFAULT_PUBSUB_TOPIC, again)).toEqual({
      statusCode: 200,
      relayPeerCount: 1,
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
    })
    expect(text((await arrived).payload)).toBe('local')
    expect(await service.lightpush.push(DEFAULT_PUBSUB_TOPIC, Uint8Array.of(0xff))).toMatchObject({
      statusCode: 400,
    })
    expect(
      service.components.recorded.get(
        'parley_waku2_lightpush_responses_total{protocol="local",status_code="200"}',
      ),
    ).toBe(1)
  })
})

describe('lightpush client aborts', () => {
  it('rejects with AbortError for an aborted signal and for a service that never answers', async () => {
    const light = await startLightNode()
    const mute = await startLightNode()
    // A "service" that reads the request and never answers; the caller gives up once the request
    // is there (a timer could fire while a loaded machine is still dialling, before any request).
    const giveUp = new AbortController()
    await mute.host.handle(LIGHTPUSH_V3_CODEC, async (stream) => {
      await lpStream(stream as Parameters<typeof lpStream>[0]).read()
      giveUp.abort()
      await new Promise(() => {})
    })
    const address = mute.host.multiaddrs()[0] ?? ''
    const message = { contentTopic: CONTENT, payload: utf8('x') }
    await expect(
      light.client.lightpush(address, message, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    })
    await expect(light.client.lightpush(address, message, { signal: giveUp.signal })).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(
      light.components.recorded.get(
        'parley_waku2_lightpush_client_requests_total{protocol="v3",status_code="0"}',
      ),
    ).toBe(1)
  })
})
