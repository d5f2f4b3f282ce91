/**
 * `@parley/bridge` against js-waku: a Whisper-only Parley node and `@waku/sdk` 0.0.27 nodes (a relay
 * node from `createRelayNode` and a light node from `createLightNode`) share one public chat
 * through a Parley bridge node (Whisper v6 + Waku v2 relay + store + metadata + bridge) on
 * 127.0.0.1. The chat payload is v1-encrypted (26/WAKU2-PAYLOAD version 1): on the js-waku side
 * by js-waku's own symmetric codec (`@waku/message-encryption` 0.0.27, loaded by path from
 * packages/interop-js-waku-encryption), on ours by `@parley/envelope`, so a message sealed on one
 * side opens on the other after crossing between Whisper and Waku v2.
 */
import { type Bridge, bridge, messageBridge } from '@parley/bridge'
import { publicChatTopic, symmetricKeyFromPassword } from '@parley/chat'
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto } from '@parley/crypto'
import { open, seal, topicToHex } from '@parley/envelope'
import { devp2pHost, libp2pHost, type ReceivedMessage, waku2Relay, whisperProtocol } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC, wakuV1TopicToContentTopic } from '@parley/protocol-waku2'
import { wakuMetadata } from '@parley/protocol-waku2-peer-exchange'
import { type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { wakuStore } from '@parley/protocol-waku2-store'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import {
  createLightNode,
  type IDecodedMessage,
  type IDecoder,
  type LightNode,
  Protocols,
  waitForRemotePeer,
} from '@waku/sdk'
import { createRelayNode } from '@waku/sdk/relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from './js-waku-support.ts'

const CHAT = 'parley-js-waku-bridge'
const TOPIC = publicChatTopic(CHAT)
const CONTENT_TOPIC = wakuV1TopicToContentTopic(TOPIC)
const SHARD = { clusterId: 0, shard: 0 }

let hub: ParleyNode
let oldApp: ParleyNode
let relayNode: Awaited<ReturnType<typeof createRelayNode>>
let light: LightNode
let sealText: (text: string) => Uint8Array
let openText: (payload: Uint8Array) => string | undefined

/** js-waku's decoded messages carry the WakuMessage version (the interface leaves it out). */
type VersionedMessage = IDecodedMessage & { version: number }

interface SymmetricCodec {
  createEncoder(init: { contentTopic: string; symKey: Uint8Array; pubsubTopic: string }): never
  createDecoder(contentTopic: string, symKey: Uint8Array, shard: typeof SHARD): IDecoder<VersionedMessage>
}
let theirSymmetric: SymmetricCodec
let symKey: Uint8Array

/** js-waku's version-1 symmetric decoder for the chat (it decrypts: `payload` is the plaintext). */
const chatDecoder = () => theirSymmetric.createDecoder(CONTENT_TOPIC, symKey, SHARD)

beforeAll(async () => {
  const encryption = new URL(
    '../../interop-js-waku-encryption/node_modules/@waku/message-encryption/dist/symmetric.js',
    import.meta.url,
  )
  theirSymmetric = (await import(/* @vite-ignore */ encryption.href)) as SymmetricCodec
  const [key, { secp256k1 }] = await Promise.all([symmetricKeyFromPassword(CHAT), loadCrypto()])
  symKey = key
  sealText = (text) => seal({ payload: new TextEncoder().encode(text), symKey }, { secp256k1 })
  openText = (payload) => {
    try {
      return new TextDecoder().decode(open(payload, { symKey, secp256k1 }).payload)
    } catch {
      return undefined
    }
  }
  hub = createNode({
    name: 'parley-bridge',
    transports: [devp2p({ port: 0 }), libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
    protocols: [
      whisper({ minPow: 0.002 }),
      wakuRelay({ pubsubTopics: [DEFAULT_PUBSUB_TOPIC] }),
      wakuStore(),
      wakuMetadata({ clusterId: SHARD.clusterId }),
      bridge(),
    ],
    store: memoryStore(),
  })
  oldApp = createNode({
    name: 'whisper-app',
    transports: [devp2p({ port: 0 })],
    protocols: [whisper({ minPow: 0.002 })],
  })
  await hub.start()
  await oldApp.start()
  await oldApp.get(devp2pHost).dial(hub.get(devp2pHost).enode!)
  await waitFor(() => oldApp.get(whisperProtocol).readyPeers().length === 1, 'the Whisper handshake')

  relayNode = await createRelayNode({
    defaultBootstrap: false,
    networkConfig: { clusterId: SHARD.clusterId, shards: [SHARD.shard] },
    libp2p: { addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] } } as never,
  })
  await relayNode.start()
  const wsAddress = hub
    .get(libp2pHost)
    .multiaddrs()
    .find((address) => address.includes('/ws/'))!
  await relayNode.dial(wsAddress as never)
  const theirId = relayNode.libp2p.peerId.toString()
  const hubRelay = hub.get(waku2Relay) as WakuRelay
  await waitFor(
    () => hubRelay.router.getSubscribers(DEFAULT_PUBSUB_TOPIC).some((peer) => peer.toString() === theirId),
    'our router to see their subscription',
  )
  // ...and theirs ours: a js-waku send before that reaches no one
  const hubId = hub.get(libp2pHost).peerId
  await waitFor(
    () =>
      relayNode.libp2p.services.pubsub
        ?.getSubscribers(DEFAULT_PUBSUB_TOPIC)
        .some((peer: unknown) => String(peer) === hubId) ?? false,
    'their router to see our subscription',
  )

  light = await createLightNode({
    defaultBootstrap: false,
    networkConfig: { clusterId: SHARD.clusterId, shards: [SHARD.shard] },
  })
  await light.start()
  await light.dial(wsAddress as never)
  await waitForRemotePeer(light, [Protocols.Store], 15_000)
}, 60_000) // three nodes, two handshakes and a subscription exchange: slow on a loaded machine

afterAll(async () => {
  await light?.stop()
  await relayNode?.stop()
  await oldApp?.stop()
  await hub?.stop()
})

describe('js-waku through the bridge', () => {
  it("a Whisper post reaches the js-waku relay node, which opens it with js-waku's symmetric codec", async () => {
    const arrived = new Promise<VersionedMessage>((resolve) => {
      void relayNode.relay.subscribeWithUnsubscribe([chatDecoder()], resolve)
    })
    await oldApp
      .get(whisperProtocol)
      .post({ topic: topicToHex(TOPIC), payload: sealText('from whisper'), ttl: 30 })
    const message = await arrived
    expect(message.contentTopic).toBe(CONTENT_TOPIC)
    expect(message.version).toBe(1)
    expect(new TextDecoder().decode(message.payload)).toBe('from whisper')
  })

  it('a message js-waku seals reaches the Whisper node as an envelope on the 4-byte topic, and opens', async () => {
    const arrived = new Promise<ReceivedMessage>((resolve) => {
      void oldApp.get(whisperProtocol).subscribe({ topics: [topicToHex(TOPIC)] }, (message) => {
        if (openText(message.payload) === 'from js-waku') resolve(message)
      })
    })
    // This release's createEncoder defaults pubsubTopic to the old default topic: name the shard's.
    const encoder = theirSymmetric.createEncoder({
      contentTopic: CONTENT_TOPIC,
      symKey,
      pubsubTopic: DEFAULT_PUBSUB_TOPIC,
    })
    const sent = await relayNode.relay.send(encoder, { payload: new TextEncoder().encode('from js-waku') })
    expect(sent.failures, JSON.stringify(sent.failures)).toEqual([])
    expect(sent.successes).toHaveLength(1)
    const message = await arrived
    expect(message.ttl).toBe(10) // the bridge's short TTL for v2 messages
    // counted once the bridge's post resolves, which need not come before the delivery
    await waitFor(
      () => (hub.get(messageBridge) as Bridge).stats()['waku2->whisper']?.bridged === 1,
      'the crossing counted',
    )
  })

  it('the js-waku light node finds the Whisper message in the bridge node store', async () => {
    const texts: string[] = []
    for await (const page of light.store.queryGenerator([chatDecoder()], { paginationForward: true }))
      for (const message of await Promise.all(page))
        if (message !== undefined) texts.push(new TextDecoder().decode(message.payload))
    expect(texts).toContain('from whisper')
    expect(texts).toContain('from js-waku')
  })
})
