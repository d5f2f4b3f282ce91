/**
 * 26/WAKU2-PAYLOAD version 1 against js-waku: `@waku/message-encryption` 0.0.27 (symmetric and
 * ECIES, signed and unsigned) against `@parley/envelope`'s `seal`/`open`.
 *
 * Over relay: js-waku's encoders and decoders ride a `@waku/sdk` 0.0.27 relay node that meshes with
 * a Parley relay node over a WebSocket on 127.0.0.1, so the bytes one library builds cross the
 * other side's gossipsub and WakuMessage codec before the other library opens them. On the wire:
 * the WakuMessage bytes of js-waku's `toWire` are read by our `decodeWakuMessage`, and those of our
 * `encodeWakuMessage` by js-waku's `fromWireToProtoObj` + `fromProtoObj`, for generated payloads
 * of every size-field length (1, 2 and 3 bytes).
 *
 * `@waku/message-encryption` lives in `packages/interop-js-waku-encryption` with the `@waku/*`
 * versions it was built against (`js-waku-encryption-support.ts`).
 */
import { createNode } from '@parley/core'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { open, seal } from '@parley/envelope'
import { libp2pHost, VerificationError, waku2Relay } from '@parley/interfaces'
import { DEFAULT_PUBSUB_TOPIC, decodeWakuMessage, encodeWakuMessage } from '@parley/protocol-waku2'
import { type WakuReceivedMessage, type WakuRelay, wakuRelay } from '@parley/protocol-waku2-relay'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import { createRelayNode } from '@waku/sdk/relay'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Case,
  cases,
  ecies,
  SHARD,
  symmetric,
  type TheirDecodedMessage,
  theirDecoder,
  theirEncoder,
} from './js-waku-encryption-support.ts'
import { text, toHex, utf8, waitFor } from './js-waku-support.ts'

const { secp256k1 } = await loadCrypto()
const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : toHex(bytes))

/** Fresh keys for one case: the recipient's (a symmetric key or a key pair) and the signer's. */
function keysFor({ kind, signed }: Case) {
  const recipient = generatePrivateKey()
  const sigKey = signed ? generatePrivateKey() : undefined
  return {
    kind,
    // Any 32 random bytes make a symmetric key.
    symKey: recipient,
    privateKey: recipient,
    publicKey: secp256k1.getPublicKey(recipient, false),
    sigKey,
    signer: sigKey && secp256k1.getPublicKey(sigKey, false),
  }
}
type Keys = ReturnType<typeof keysFor>

const openOurs = (data: Uint8Array, keys: Keys) =>
  open(
    data,
    keys.kind === 'symmetric'
      ? { symKey: keys.symKey, secp256k1 }
      : { privateKey: keys.privateKey, secp256k1 },
  )

const sealOurs = (payload: Uint8Array, keys: Keys) =>
  seal(
    {
      payload,
      ...(keys.sigKey === undefined ? {} : { sigKey: keys.sigKey }),
      ...(keys.kind === 'symmetric' ? { symKey: keys.symKey } : { publicKey: keys.publicKey }),
    },
    { secp256k1 },
  )

describe('version-1 payloads between js-waku and Parley over relay', () => {
  let relay: WakuRelay
  let them: Awaited<ReturnType<typeof createRelayNode>>
  let ourId: string

  beforeAll(async () => {
    const node = createNode({
      name: 'parley-payload-v1',
      transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })],
      protocols: [wakuRelay({ pubsubTopics: [DEFAULT_PUBSUB_TOPIC] })],
    })
    await node.start()
    afterAll(() => node.stop())
    const host = node.get(libp2pHost) as Libp2pHostService
    relay = node.get(waku2Relay) as WakuRelay
    ourId = host.peerId
    them = await createRelayNode({
      defaultBootstrap: false,
      networkConfig: { clusterId: SHARD.clusterId, shards: [SHARD.shard] },
    })
    await them.start()
    afterAll(() => them.stop())
    await them.dial(host.multiaddrs()[0] as never)
    const theirId = them.libp2p.peerId.toString()
    await waitFor(
      () => relay.router.getSubscribers(DEFAULT_PUBSUB_TOPIC).some((peer) => peer.toString() === theirId),
      'our router to see js-waku subscribed',
    )
    await waitFor(
      () => them.relay.getMeshPeers(DEFAULT_PUBSUB_TOPIC).some((peer) => peer.toString() === ourId),
      'js-waku to mesh with us',
    )
  })

  for (const testCase of cases) {
    const { kind, signed } = testCase
    const contentTopic = `/parley/1/payload-v1-${kind}-${signed ? 'signed' : 'unsigned'}/proto`

    it(`${kind}, ${signed ? 'signed' : 'unsigned'}: js-waku seals, Parley opens`, async () => {
      const keys = keysFor(testCase)
      const arrived = new Promise<WakuReceivedMessage>((resolve) => {
        void relay.subscribe({ topics: [contentTopic] }, (message) => resolve(message as WakuReceivedMessage))
      })
      const encoder = theirEncoder(kind, { contentTopic, ...keys })
      const sent = await them.relay.send(encoder as never, { payload: utf8(`${kind} from js-waku`) })
      expect(sent.failures).toEqual([])
      expect(sent.successes.map(String)).toContain(ourId)

      const message = await arrived
      expect(message.version).toBe(1)
      expect(message.pubsubTopic).toBe(DEFAULT_PUBSUB_TOPIC)
      const opened = openOurs(message.payload, keys)
      expect(text(opened.payload)).toBe(`${kind} from js-waku`)
      expect(hex(opened.signer)).toBe(hex(keys.signer))
    })

    it(`${kind}, ${signed ? 'signed' : 'unsigned'}: Parley seals, js-waku opens`, async () => {
      const keys = keysFor(testCase)
      const decoder = theirDecoder(kind, contentTopic, keys)
      let unsubscribe: ReturnType<typeof them.relay.subscribeWithUnsubscribe> | undefined
      const arrived = new Promise<TheirDecodedMessage>((resolve) => {
        unsubscribe = them.relay.subscribeWithUnsubscribe([decoder as never], resolve as never)
      })
      await relay.post({
        topic: contentTopic,
        payload: sealOurs(utf8(`${kind} from parley`), keys),
        version: 1,
      })
      const message = await arrived
      await (await unsubscribe)?.()
      expect(text(message.payload)).toBe(`${kind} from parley`)
      expect(message.version).toBe(1)
      expect(hex(message.signaturePublicKey)).toBe(hex(keys.signer))
      if (keys.signer !== undefined) expect(message.verifySignature(keys.signer)).toBe(true)
    })
  }
})

describe('version-1 WakuMessage bytes between js-waku and Parley', () => {
  const contentTopic = '/parley/1/payload-v1-wire/proto'
  // Up to 70 000 bytes, so the size field takes 1, 2 and 3 bytes; padding lands on both sides of 256.
  const payloads = fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.integer({ min: 65_536, max: 70_000 }).map((length) => new Uint8Array(length).fill(length & 0xff)),
  )
  const caseArbitrary = fc.constantFrom(...cases)

  it('js-waku toWire → decodeWakuMessage → open', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, payloads, async (testCase, payload) => {
        const keys = keysFor(testCase)
        const wire = await theirEncoder(testCase.kind, { contentTopic, ...keys }).toWire({ payload })
        const message = decodeWakuMessage(wire)
        expect(message).toMatchObject({ version: 1, contentTopic })
        const opened = openOurs(message.payload, keys)
        expect(hex(opened.payload)).toBe(hex(payload))
        expect(hex(opened.signer)).toBe(hex(keys.signer))
      }),
      { numRuns: 24 },
    )
  })

  it('seal → encodeWakuMessage → js-waku fromWireToProtoObj + fromProtoObj', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, payloads, async (testCase, payload) => {
        const keys = keysFor(testCase)
        const wire = encodeWakuMessage({
          payload: sealOurs(payload, keys),
          contentTopic,
          version: 1,
          timestamp: BigInt(Date.now()) * 1_000_000n,
        })
        const decoder = theirDecoder(testCase.kind, contentTopic, keys)
        const proto = await decoder.fromWireToProtoObj(wire)
        const message = await decoder.fromProtoObj(DEFAULT_PUBSUB_TOPIC, proto)
        expect(hex(message?.payload)).toBe(hex(payload))
        expect(hex(message?.signaturePublicKey)).toBe(hex(keys.signer))
      }),
      { numRuns: 24 },
    )
  })

  it('a payload for another key opens on neither side', async () => {
    for (const testCase of cases) {
      const keys = keysFor(testCase)
      const other = keysFor(testCase)
      const wire = await theirEncoder(testCase.kind, { contentTopic, ...keys }).toWire({ payload: utf8('x') })
      expect(() => openOurs(decodeWakuMessage(wire).payload, other)).toThrow(VerificationError)

      const ours = encodeWakuMessage({ payload: sealOurs(utf8('x'), keys), contentTopic, version: 1 })
      const decoder = theirDecoder(testCase.kind, contentTopic, other)
      expect(
        await decoder.fromProtoObj(DEFAULT_PUBSUB_TOPIC, await decoder.fromWireToProtoObj(ours)),
      ).toBeUndefined()
    }
  })

  it('js-waku reads a version-0 message as no version-1 payload', async () => {
    const wire = encodeWakuMessage({ payload: utf8('plain'), contentTopic })
    for (const module of [symmetric, ecies]) {
      const decoder = module.createDecoder(contentTopic, generatePrivateKey(), SHARD)
      expect(
        await decoder.fromProtoObj(DEFAULT_PUBSUB_TOPIC, await decoder.fromWireToProtoObj(wire)),
      ).toBeUndefined()
    }
  })
})

describe('js-waku 0.0.27 quirks', () => {
  it('its symmetric encoder ignores the shard it is given', () => {
    const options = { contentTopic: '/parley/1/payload-v1-quirk/proto', pubsubTopicShardInfo: SHARD }
    expect(
      ecies.createEncoder({ ...options, publicKey: secp256k1.getPublicKey(generatePrivateKey(), false) })
        .pubsubTopic,
    ).toBe(DEFAULT_PUBSUB_TOPIC)
    // `pubsubTopic` defaults to the pre-sharding topic before `pubsubTopicShardInfo` is consulted.
    expect(symmetric.createEncoder({ ...options, symKey: generatePrivateKey() }).pubsubTopic).toBe(
      '/waku/2/default-waku/proto',
    )
  })
})
