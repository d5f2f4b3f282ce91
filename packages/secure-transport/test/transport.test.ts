import { topicFromName } from '@parley/envelope'
import { InvalidParametersError, NotStartedError } from '@parley/interfaces'
import {
  decodeBundle,
  decodeProtocolMessage,
  NO_INSTALLATION_ID,
  StatusSecureTransport,
} from '@parley/secure-transport'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { afterEach, describe, expect, it } from 'vitest'
import { type Device, device, introduce, read, restart, secp, text } from './helpers.ts'

const started: Device[] = []
async function make(...args: Parameters<typeof device>): Promise<Device> {
  const made = await device(...args)
  started.push(made)
  return made
}
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

describe('StatusSecureTransport: first contact and sessions', () => {
  it('falls back to DH without a bundle, then upgrades to X3DH and the Double Ratchet', async () => {
    const alice = await make()
    const bob = await make()
    const a = alice.transport
    const b = bob.transport

    const first = await a.encrypt(b.identity, text('hi bob'))
    const decoded = decodeProtocolMessage(first)
    expect([...decoded.encryptedMessage.keys()]).toEqual([NO_INSTALLATION_ID])
    expect(decoded.installationId).toBe(a.installationId)
    expect(decoded.bundles).toHaveLength(1)
    const got = await b.decrypt(a.identity, first)
    expect({ text: read(got.plaintext), kind: got.kind, from: got.installationId }).toEqual({
      text: 'hi bob',
      kind: 'dh',
      from: a.installationId,
    })
    expect(got.installations).toEqual([a.installationId])

    // Bob learned Alice's bundle from that message: his reply starts X3DH.
    const reply = await b.encrypt(a.identity, text('hi alice'))
    const entry = decodeProtocolMessage(reply).encryptedMessage.get(a.installationId)
    expect(entry?.x3dh).toBeDefined()
    expect(entry?.dr).toBeDefined()
    const gotReply = await a.decrypt(b.identity, reply)
    expect([read(gotReply.plaintext), gotReply.kind]).toEqual(['hi alice', 'x3dh'])

    // Alice answers on the session Bob started; once Bob reads it he stops sending the X3DH header.
    const third = await a.encrypt(b.identity, text('third'))
    expect((await b.decrypt(a.identity, third)).kind).toBe('double-ratchet')
    const fourth = await b.encrypt(a.identity, text('fourth'))
    expect(decodeProtocolMessage(fourth).encryptedMessage.get(a.installationId)?.x3dh).toBeUndefined()
    expect(read((await a.decrypt(b.identity, fourth)).plaintext)).toBe('fourth')
  })

  it('decrypts out of order and accepts uncompressed sender keys', async () => {
    const alice = await make()
    const bob = await make()
    await introduce(bob, alice)
    const messages = []
    for (let i = 0; i < 5; i++)
      messages.push(await alice.transport.encrypt(bob.transport.identity, text(`m${i}`)))
    const uncompressed = (await secp()).convertPublicKey(alice.transport.identity, false)
    for (const i of [3, 0, 4, 2, 1]) {
      const message = messages[i]
      if (message === undefined) throw new Error('unreachable')
      expect(read((await bob.transport.decrypt(uncompressed, message)).plaintext)).toBe(`m${i}`)
    }
  })

  it('converges when both sides start a session at once (lowest shared key wins)', async () => {
    const alice = await make()
    const bob = await make()
    await introduce(alice, bob)
    await introduce(bob, alice)
    const fromAlice = await alice.transport.encrypt(bob.transport.identity, text('a1'))
    const fromBob = await bob.transport.encrypt(alice.transport.identity, text('b1'))
    expect(read((await bob.transport.decrypt(alice.transport.identity, fromAlice)).plaintext)).toBe('a1')
    expect(read((await alice.transport.decrypt(bob.transport.identity, fromBob)).plaintext)).toBe('b1')
    // Both now hold two sessions and pick the same one to send on.
    const a2 = decodeProtocolMessage(await alice.transport.encrypt(bob.transport.identity, text('a2')))
    const b2 = decodeProtocolMessage(await bob.transport.encrypt(alice.transport.identity, text('b2')))
    const aliceBundleId = a2.encryptedMessage.get(bob.transport.installationId)?.dr?.id
    const bobBundleId = b2.encryptedMessage.get(alice.transport.installationId)?.dr?.id
    expect(aliceBundleId).toBeDefined()
    expect(aliceBundleId).toEqual(bobBundleId)
  })

  it('public messages carry the bundle and plaintext', async () => {
    const alice = await make()
    const bob = await make()
    const message = await alice.transport.encryptPublic(text('to everyone'))
    const got = await bob.transport.decrypt(alice.transport.identity, message)
    expect([read(got.plaintext), got.kind]).toEqual(['to everyone', 'public'])
    expect(await bob.transport.installations(alice.transport.identity)).toMatchObject([
      { installationId: alice.transport.installationId, enabled: true },
    ])
    await expect(alice.transport.encryptPublic(new Uint8Array(0))).rejects.toThrow(InvalidParametersError)
  })

  it('serializes concurrent operations on one session', async () => {
    const alice = await make()
    const bob = await make()
    await introduce(bob, alice)
    const sent = await Promise.all(
      Array.from({ length: 6 }, (_, i) => alice.transport.encrypt(bob.transport.identity, text(`c${i}`))),
    )
    const got = await Promise.all(sent.map((m) => bob.transport.decrypt(alice.transport.identity, m)))
    expect(got.map((g) => read(g.plaintext))).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'])
    const ns = sent.map(
      (m) => decodeProtocolMessage(m).encryptedMessage.get(bob.transport.installationId)?.dr?.n,
    )
    expect(ns).toEqual([0, 1, 2, 3, 4, 5])
  })
})

describe('StatusSecureTransport: topics', () => {
  it('derives the same negotiated topic and key on both sides, and partitioned topics', async () => {
    const alice = await make()
    const bob = await make()
    const fromAlice = await alice.transport.negotiatedTopic(bob.transport.identity)
    const fromBob = await bob.transport.negotiatedTopic(alice.transport.identity)
    expect(fromAlice).toEqual(fromBob)
    expect(fromAlice.name).toMatch(/^[0-9a-f]{64}$/)
    expect(fromAlice.topic).toEqual(topicFromName(fromAlice.name))
    expect(fromAlice.key).toHaveLength(32)
    expect(alice.transport.partitionedTopic(bob.transport.identity)).toBe(bob.transport.partitionedTopic())
    expect(bob.transport.partitionedTopic()).toMatch(/^contact-discovery-\d{1,4}$/)
  })
})

describe('StatusSecureTransport: persistence', () => {
  it('continues a session after both sides restart from their stores, skipped keys included', async () => {
    let alice = await device()
    let bob = await device()
    await introduce(bob, alice)
    const m0 = await alice.transport.encrypt(bob.transport.identity, text('m0'))
    const m1 = await alice.transport.encrypt(bob.transport.identity, text('m1'))
    expect(read((await bob.transport.decrypt(alice.transport.identity, m1)).plaintext)).toBe('m1')
    const installations = [alice.transport.installationId, bob.transport.installationId]

    alice = await restart(alice)
    bob = await restart(bob)
    started.push(alice, bob)
    expect([alice.transport.installationId, bob.transport.installationId]).toEqual(installations)
    // m0's key was skipped before the restart and is still there.
    expect(read((await bob.transport.decrypt(alice.transport.identity, m0)).plaintext)).toBe('m0')
    const reply = await bob.transport.encrypt(alice.transport.identity, text('back'))
    expect(
      decodeProtocolMessage(reply).encryptedMessage.get(alice.transport.installationId)?.x3dh,
    ).toBeUndefined()
    expect(read((await alice.transport.decrypt(bob.transport.identity, reply)).plaintext)).toBe('back')
    const m2 = await alice.transport.encrypt(bob.transport.identity, text('m2'))
    expect((await bob.transport.decrypt(alice.transport.identity, m2)).kind).toBe('double-ratchet')
  })

  it('keeps the same signed prekey across restarts until it is due', async () => {
    const first = await device()
    const bundle = await first.transport.bundle()
    const again = await restart(first)
    started.push(again)
    expect(decodeBundle(await again.transport.bundle()).signedPreKeys).toEqual(
      decodeBundle(bundle).signedPreKeys,
    )
  })
})

describe('StatusSecureTransport: lifecycle and arguments', () => {
  it('refuses use before start and bad keys', async () => {
    const transport = new StatusSecureTransport({
      store: new MemoryKeyValueStore(),
      identityKey: new Uint8Array(32).fill(1),
      secp: await secp(),
    })
    expect(() => transport.installationId).toThrow(NotStartedError)
    await expect(transport.bundle()).rejects.toThrow(NotStartedError)
    await transport.start()
    await transport.start()
    await expect(transport.encrypt(new Uint8Array(33), text('x'))).rejects.toThrow(InvalidParametersError)
    await transport.stop()
    await transport.stop()
    expect(transport.isStarted()).toBe(false)
    expect(
      () => new StatusSecureTransport({ store: new MemoryKeyValueStore(), identityKey: new Uint8Array(31) }),
    ).toThrow(InvalidParametersError)
  })

  it('honours an aborted signal', async () => {
    const alice = await make()
    await expect(alice.transport.bundle({ signal: AbortSignal.abort() })).rejects.toThrow(/abort/i)
  })
})
