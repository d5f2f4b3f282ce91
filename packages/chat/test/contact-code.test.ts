import { loadCrypto } from '@parley/crypto'
import { seal } from '@parley/envelope'
import { privacyProtocol, secureTransport } from '@parley/interfaces'
import {
  decodeProtocolMessage,
  encodeProtocolMessage,
  type StatusSecureTransport,
} from '@parley/secure-transport'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ApplicationMessageType,
  ContentType,
  contactCodeTopicName,
  encodeChatMessage,
  encodeContactCodeAdvertisement,
  MessageType,
  symmetricKeyFromPassword,
  topicFromName,
  topicToString,
  wrapMessage,
} from '../src/index.ts'
import {
  type Flavour,
  link,
  type Peer,
  type PeerOptions,
  restart,
  startPeer,
  stopAll,
  until,
} from './messenger-fixtures.ts'

const { secp256k1: secp } = await loadCrypto()
const HOUR = 3_600_000

const peers: Peer[] = []
async function peer(name: string, flavour: Flavour, options?: PeerOptions): Promise<Peer> {
  const started = await startPeer(name, flavour, options)
  peers.push(started)
  return started
}

afterEach(async () => {
  await stopAll(peers.splice(0))
})

const secureOf = (p: Peer) => p.node.get(secureTransport) as StatusSecureTransport

/** A line of the node's metrics, e.g. `parley_x_total{a="b"}`, as a number (0 when absent). */
async function metric(p: Peer, name: string, labels: Record<string, string>): Promise<number> {
  const text = await p.node.metrics.expose()
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const [series, value] = line.split(' ')
    if (wanted.every((label) => series?.includes(label))) return Number(value)
  }
  return 0
}

const published = (p: Peer, trigger: string) =>
  metric(p, 'parley_messenger_contact_code_publishes_total', { trigger, outcome: 'published' })

function heardFrom(listener: Peer, author: Peer): number {
  return listener.contactCodes.filter((code) => code.publicKey === author.messenger.publicKey).length
}

describe.each<Flavour>(['waku1', 'waku2'])('contact codes over %s', (flavour) => {
  it('a contact who never heard from Alice gets her contact code and opens an X3DH session on her advertised prekey', async () => {
    const alice = await peer('alice', flavour)
    const bob = await peer('bob', flavour)
    await link(alice, bob)
    const aliceIdentity = secureOf(alice).identity
    expect(await secureOf(bob).installations(aliceIdentity)).toEqual([])

    await bob.messenger.addContact(alice.messenger.publicKey)
    await alice.messenger.publishContactCode()
    await until(() => heardFrom(bob, alice) > 0, "bob gets alice's contact code", 15_000)
    expect(bob.contactCodes.some((code) => code.installations.includes('alice-device'))).toBe(true)
    const [learnt] = await secureOf(bob).installations(aliceIdentity)
    expect(learnt?.installationId).toBe('alice-device')
    // not a chat message, and no chat either
    expect(bob.received).toEqual([])
    expect(bob.messenger.chats()).toEqual([])

    const chat = await bob.messenger.startOneToOne(alice.messenger.publicKey)
    const sent = await bob.messenger.sendText(chat.id, 'hello, on your prekey')
    await until(() => alice.received.some((m) => m.id === sent.id), 'alice reads it', 15_000)
    // Without her bundle Bob could only have used the DH fallback; X3DH needs a prekey Alice still holds.
    const x3dh = await metric(alice, 'parley_secure_transport_messages_total', {
      direction: 'in',
      kind: 'x3dh',
    })
    const dh = await metric(alice, 'parley_secure_transport_messages_total', { direction: 'in', kind: 'dh' })
    expect(x3dh).toBeGreaterThan(0)
    expect(dh).toBe(0)
    expect([...alice.rejected, ...bob.rejected]).toEqual([])
  })
})

describe('contact codes over waku1', () => {
  it('a refreshed bundle is republished at once and contacts learn the new prekey', async () => {
    let secureClock = Date.now()
    const alice = await peer('alice', 'waku1', { secureOptions: { now: () => secureClock } })
    const bob = await peer('bob', 'waku1')
    await link(alice, bob)
    await bob.messenger.addContact(alice.messenger.publicKey)
    await alice.messenger.publishContactCode()
    await until(() => heardFrom(bob, alice) > 0, "bob gets alice's contact code", 15_000)
    const aliceIdentity = secureOf(alice).identity
    const before = (await secureOf(bob).installations(aliceIdentity))[0]?.timestamp ?? 0n
    const heard = bob.contactCodes.length

    secureClock += 25 * HOUR
    expect(await secureOf(alice).refreshBundle()).toBe(true)
    await until(async () => (await published(alice, 'bundle')) === 1, 'alice republishes')
    await until(() => bob.contactCodes.length > heard, 'bob gets the new contact code', 15_000)
    expect(bob.contactCodes.at(-1)?.installations).toEqual(['alice-device'])
    const after = (await secureOf(bob).installations(aliceIdentity))[0]?.timestamp ?? 0n
    expect(after).toBeGreaterThan(before)
  })

  it('addContact publishes our contact code, and the contact is still listened to after a restart', async () => {
    const alice = await peer('alice', 'waku1')
    let bob = await peer('bob', 'waku1')
    await expect(bob.messenger.addContact(bob.messenger.publicKey)).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
    await expect(bob.messenger.addContact('0x1234')).rejects.toMatchObject({ code: 'ERR_INVALID_PARAMETERS' })
    await bob.messenger.addContact(alice.messenger.publicKey)
    await until(async () => (await published(bob, 'contact')) === 1, 'bob publishes his contact code')

    bob = await restart(bob)
    peers.push(bob)
    await link(alice, bob)
    const heard = heardFrom(bob, alice)
    await alice.messenger.publishContactCode()
    await until(() => heardFrom(bob, alice) > heard, "the restarted bob gets alice's contact code", 15_000)
  })

  it('is published at start, not again after a restart within 6 h, and again once 6 h have passed', async () => {
    let clock = Date.UTC(2026, 0, 1)
    let reads = 0
    const options: PeerOptions = {
      messengerOptions: {
        now: () => {
          reads++
          return clock
        },
        contactCodeCheckIntervalMs: 10,
      },
    }
    const first = await peer('alice', 'waku1', options)
    await until(async () => (await published(first, 'schedule')) === 1, 'the publication at start')
    expect(await first.messenger.state.contactCodePublishedAt()).toBe(clock)

    clock += 5 * HOUR
    const again = await restart(first, options)
    peers.push(again)
    const readsAtStart = reads
    await until(() => reads >= readsAtStart + 10, 'ten checks after the restart')
    expect(await published(again, 'schedule')).toBe(0)

    clock += HOUR
    await until(async () => (await published(again, 'schedule')) === 1, 'the publication 6 h on')
    expect(await again.messenger.state.contactCodePublishedAt()).toBe(clock)
  })

  it('refuses forged and malformed contact codes with a typed error and a metric, and never shows them', async () => {
    const alice = await peer('alice', 'waku1')
    const bob = await peer('bob', 'waku1')
    const mallory = await peer('mallory', 'waku1')
    await link(alice, bob)
    await bob.messenger.addContact(alice.messenger.publicKey)

    // Raw posts on Alice's contact-code topic from Alice's node, as anyone could make them.
    const name = contactCodeTopicName(alice.messenger.publicKeyBytes)
    const symKey = await symmetricKeyFromPassword(name)
    const topic = topicToString(topicFromName(name))
    const post = (payload: Uint8Array, sigKey: Uint8Array) =>
      alice.node
        .get(privacyProtocol)
        .post({ topic, payload: seal({ payload, symKey, sigKey }, { secp256k1: secp }), ttl: 30, pow: 0.002 })
    const advert = (key: Uint8Array) =>
      wrapMessage(
        encodeContactCodeAdvertisement({ pushNotificationInfo: [] }),
        ApplicationMessageType.CONTACT_CODE_ADVERTISEMENT,
        key,
        secp,
      )

    // Mallory's genuine contact code, on Alice's topic
    await post(await secureOf(mallory).encryptPublic(advert(mallory.identityKey)), mallory.identityKey)
    // Alice's bundle with its timestamp changed after signing
    const honest = decodeProtocolMessage(await secureOf(alice).encryptPublic(advert(alice.identityKey)))
    const [bundle] = honest.bundles
    if (bundle === undefined) throw new Error('a public message carries our bundle')
    const forged = { ...honest, bundles: [{ ...bundle, timestamp: bundle.timestamp + 1n }] }
    await post(encodeProtocolMessage(forged), alice.identityKey)
    // a varint where the advertisement has a message
    const malformed = wrapMessage(
      new Uint8Array([0x08, 0x01]),
      ApplicationMessageType.CONTACT_CODE_ADVERTISEMENT,
      alice.identityKey,
      secp,
    )
    await post(await secureOf(alice).encryptPublic(malformed), alice.identityKey)
    // a chat message on a contact-code topic
    const chatMessage = encodeChatMessage({
      clock: 1n,
      timestamp: 1n,
      text: 'not here',
      responseTo: '',
      ensName: '',
      chatId: name,
      messageType: MessageType.PUBLIC_GROUP,
      contentType: ContentType.TEXT_PLAIN,
    })
    const misplaced = wrapMessage(chatMessage, ApplicationMessageType.CHAT_MESSAGE, alice.identityKey, secp)
    await post(await secureOf(alice).encryptPublic(misplaced), alice.identityKey)

    const expected = {
      'signer-mismatch': 'VerificationError',
      'secure-transport': 'ForgedBundleError',
      malformed: 'DecodeError',
      'wrong-chat': 'VerificationError',
    }
    await until(() => bob.rejected.length >= 4, 'four refusals', 15_000)
    expect(Object.fromEntries(bob.rejected.map((r) => [r.reason, r.error.name]))).toEqual(expected)
    for (const reason of Object.keys(expected)) {
      expect(await metric(bob, 'parley_messenger_rejected_total', { reason })).toBe(1)
    }
    expect(await metric(bob, 'parley_secure_transport_rejected_total', { reason: 'forged-bundle' })).toBe(1)
    // Mallory's bundle was never learnt from Alice's topic
    expect(await secureOf(bob).installations(secureOf(mallory).identity)).toEqual([])
    expect(bob.received).toEqual([])
    // (her publication at start may have reached Bob: it is the only kind that counts)
    expect(bob.contactCodes.every((code) => code.publicKey === alice.messenger.publicKey)).toBe(true)

    // Alice's genuine contact code still gets through.
    const heard = heardFrom(bob, alice)
    await alice.messenger.publishContactCode()
    await until(() => heardFrom(bob, alice) > heard, "alice's genuine contact code", 15_000)
    expect(bob.received).toEqual([])
  })
})
