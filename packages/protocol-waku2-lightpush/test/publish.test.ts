/** `publishPushed` against a scripted relay: every status code the service can answer. */
import type { WakuPublishResult } from '@parley/interfaces'
import { encodeWakuMessage, THE_WAKU_NETWORK, type WakuMessage } from '@parley/protocol-waku2'
import { RelayRejectedError } from '@parley/protocol-waku2-relay'
import { describe, expect, it } from 'vitest'
import { type LightpushRelay, LightpushStatus, type PublishSettings, publishPushed } from '../src/index.ts'

const NOW = 1_700_000_000_000
const SETTINGS: PublishSettings = { maxMessageSize: 1024, maxTimestampDrift: 20_000, autosharding: undefined }
const message = (fields: Partial<WakuMessage> = {}) =>
  encodeWakuMessage({
    payload: Uint8Array.of(1),
    contentTopic: '/app/1/chat/proto',
    timestamp: BigInt(NOW) * 1_000_000n,
    ...fields,
  })

const sent = (recipients: string[], duplicate = false): WakuPublishResult => ({
  hash: '0x',
  recipients,
  duplicate,
})

function relay(topics: string[], publish: () => Promise<WakuPublishResult> = async () => sent(['peer'])) {
  const published: string[] = []
  const fake: LightpushRelay = {
    pubsubTopics: () => topics,
    publishMessage: async (topic) => {
      published.push(topic)
      return publish()
    },
  }
  return { fake, published }
}

const push = (r: LightpushRelay, topic: string | undefined, bytes: Uint8Array, settings = SETTINGS) =>
  publishPushed(r, settings, topic, bytes, NOW)

describe('publishPushed', () => {
  it('publishes on the given, the autosharded or the first relayed topic and counts remote recipients', async () => {
    const { fake, published } = relay(['/waku/2/rs/0/0', '/waku/2/rs/1/3'])
    expect(await push(fake, '/waku/2/rs/0/0', message())).toEqual({
      statusCode: 200,
      relayPeerCount: 1,
      pubsubTopic: '/waku/2/rs/0/0',
    })
    await push(fake, undefined, message())
    await push(fake, undefined, message({ contentTopic: '/toychat/2/huilong/proto' }), {
      ...SETTINGS,
      autosharding: THE_WAKU_NETWORK,
    })
    expect(published).toEqual(['/waku/2/rs/0/0', '/waku/2/rs/0/0', '/waku/2/rs/1/3'])
  })

  it('refuses with nwaku status codes before publishing', async () => {
    const { fake, published } = relay(['/waku/2/rs/0/0'])
    const status = async (topic: string | undefined, bytes: Uint8Array) =>
      (await push(fake, topic, bytes)).statusCode
    expect(await status('/waku/2/rs/0/0', message({ payload: new Uint8Array(2000) }))).toBe(
      LightpushStatus.PAYLOAD_TOO_LARGE,
    )
    expect(await status('/waku/2/rs/0/0', Uint8Array.of(0x08))).toBe(LightpushStatus.BAD_REQUEST)
    expect(await status('/waku/2/rs/0/0', message({ contentTopic: 'chat' }))).toBe(
      LightpushStatus.INVALID_MESSAGE,
    )
    expect(await status('', message())).toBe(LightpushStatus.BAD_REQUEST)
    expect(await status('/not/waku', message())).toBe(LightpushStatus.BAD_REQUEST)
    expect(await status('/waku/2/rs/0/1', message())).toBe(LightpushStatus.UNSUPPORTED_PUBSUB_TOPIC)
    expect(await status('/waku/2/rs/0/0', message({ timestamp: BigInt(NOW + 21_000) * 1_000_000n }))).toBe(
      LightpushStatus.INVALID_MESSAGE,
    )
    expect(published).toEqual([])
    // no timestamp passes, as in the relay
    expect(
      await status(
        '/waku/2/rs/0/0',
        encodeWakuMessage({ payload: new Uint8Array(0), contentTopic: '/a/1/b/c' }),
      ),
    ).toBe(200)
  })

  it('maps publishing outcomes: no peers 505, duplicate 420, relay refusal, other failures 500, relay stopped 503', async () => {
    const lonely = relay(['/waku/2/rs/0/0'], async () => sent([])).fake
    expect(await push(lonely, undefined, message())).toMatchObject({
      statusCode: 505,
      statusDesc: 'No peers for topic, skipping publish',
    })
    const seen = relay(['/waku/2/rs/0/0'], async () => sent([], true)).fake
    expect(await push(seen, undefined, message())).toMatchObject({
      statusCode: 420,
      statusDesc: 'Dropping already-seen message',
    })
    const broken = relay(['/waku/2/rs/0/0'], async () => {
      throw new Error('boom')
    }).fake
    expect(await push(broken, undefined, message())).toMatchObject({ statusCode: 500 })
    const stricter = relay(['/waku/2/rs/0/0'], async () => {
      throw new RelayRejectedError('oversize')
    }).fake
    expect(await push(stricter, undefined, message())).toMatchObject({ statusCode: 413 })
    const stopped: LightpushRelay = {
      pubsubTopics: () => {
        throw new Error('not started')
      },
      publishMessage: async () => sent([]),
    }
    expect(await push(stopped, undefined, message())).toMatchObject({ statusCode: 503 })
  })
})
