import {
  decodeBundle,
  decodeProtocolMessage,
  MAX_INSTALLATIONS,
  NO_INSTALLATION_ID,
  SessionStore,
} from '@parley/secure-transport'
import { afterEach, describe, expect, it } from 'vitest'
import { Clock, type Device, device, introduce, read, text } from './helpers.ts'

const started: Device[] = []
async function make(...args: Parameters<typeof device>): Promise<Device> {
  const made = await device(...args)
  started.push(made)
  return made
}
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

/** Two installations of one identity that know and have paired each other. */
async function pairedDevices(): Promise<[Device, Device]> {
  const first = await make()
  const second = await make({ identityKey: first.identityKey })
  for (const [a, b] of [
    [first, second],
    [second, first],
  ] as const) {
    await introduce(a, b)
    expect(await b.transport.setPaired(a.transport.installationId, true)).toBe(true)
  }
  return [first, second]
}

describe('StatusSecureTransport multi-device', () => {
  it('our other installation is disabled until paired, then in our bundle and gets our copies', async () => {
    const first = await make()
    const second = await make({ identityKey: first.identityKey })
    await introduce(second, first)
    expect(await first.transport.installations(first.transport.identity)).toMatchObject([
      { installationId: second.transport.installationId, enabled: false },
    ])
    expect(await first.transport.encryptForOwnDevices(text('copy'))).toBeUndefined()
    expect(await first.transport.setPaired('no-such-installation', true)).toBe(false)
    expect(await first.transport.setPaired(second.transport.installationId, true)).toBe(true)

    const bundle = decodeBundle(await first.transport.bundle())
    expect([...bundle.signedPreKeys.keys()].sort()).toEqual(
      [first.transport.installationId, second.transport.installationId].sort(),
    )
    const copy = await first.transport.encryptForOwnDevices(text('copy'))
    if (copy === undefined) throw new Error('no copy for a paired installation')
    expect([...decodeProtocolMessage(copy).encryptedMessage.keys()]).toEqual([
      second.transport.installationId,
    ])
    const got = await second.transport.decrypt(first.transport.identity, copy)
    expect([read(got.plaintext), got.installationId]).toEqual(['copy', first.transport.installationId])
  })

  it("a peer's message reaches every installation, each through its own session", async () => {
    const [alice1, alice2] = await pairedDevices()
    const bob = await make()
    await introduce(alice1, bob) // alice1's bundle names alice2's prekey too
    const message = await bob.transport.encrypt(alice1.transport.identity, text('to both'))
    const entries = decodeProtocolMessage(message).encryptedMessage
    expect([...entries.keys()].sort()).toEqual(
      [alice1.transport.installationId, alice2.transport.installationId].sort(),
    )
    expect(entries.get(alice1.transport.installationId)?.dr?.id).not.toEqual(
      entries.get(alice2.transport.installationId)?.dr?.id,
    )
    for (const alice of [alice1, alice2]) {
      expect(read((await alice.transport.decrypt(bob.transport.identity, message)).plaintext)).toBe('to both')
    }
    // Each installation answers on its own session and Bob tells them apart.
    for (const alice of [alice1, alice2]) {
      const reply = await alice.transport.encrypt(
        bob.transport.identity,
        text(alice.transport.installationId),
      )
      const got = await bob.transport.decrypt(alice.transport.identity, reply)
      expect([read(got.plaintext), got.installationId, got.kind]).toEqual([
        alice.transport.installationId,
        alice.transport.installationId,
        'double-ratchet',
      ])
    }
  })

  it(`sends to at most ${MAX_INSTALLATIONS} installations per identity, the newest bundles first`, async () => {
    const clock = new Clock()
    const bob = await make({ now: clock.now })
    const first = await make({ now: clock.now })
    const alices = [first]
    for (let i = 1; i < 4; i++) alices.push(await make({ identityKey: first.identityKey, now: clock.now }))
    for (const alice of alices) {
      clock.advance(1000)
      await introduce(alice, bob)
    }
    const entries = decodeProtocolMessage(
      await bob.transport.encrypt(first.transport.identity, text('x')),
    ).encryptedMessage
    expect([...entries.keys()].sort()).toEqual(
      alices
        .slice(1)
        .map((a) => a.transport.installationId)
        .sort(),
    )
    expect(entries.has(NO_INSTALLATION_ID)).toBe(false)
    await expect(
      first.transport.decrypt(
        bob.transport.identity,
        await bob.transport.encrypt(first.transport.identity, text('y')),
      ),
    ).rejects.toThrow(/no message for this installation/)
  })
})

describe('StatusSecureTransport bundle refresh', () => {
  it('replaces the signed prekey after 24 h, announces it, and keeps old sessions readable', async () => {
    const clock = new Clock()
    const alice = await make({ now: clock.now })
    const bob = await make({ now: clock.now })
    await introduce(bob, alice)
    const hello = await alice.transport.encrypt(bob.transport.identity, text('hello'))
    await bob.transport.decrypt(alice.transport.identity, hello)
    const oldPreKey = decodeBundle(await bob.transport.bundle()).signedPreKeys.get(
      bob.transport.installationId,
    )

    clock.advance(23 * 3_600_000)
    expect(await bob.transport.refreshBundle()).toBe(false)
    const announced: Uint8Array[] = []
    bob.transport.addEventListener('bundle:refreshed', (event) => announced.push(event.detail))
    clock.advance(2 * 3_600_000)
    expect(await bob.transport.refreshBundle()).toBe(true)
    expect(announced).toHaveLength(1)
    expect(bob.recorded.get('parley_secure_transport_bundle_refreshes_total')).toBe(1)
    const announcedBundle = decodeBundle(announced[0] ?? new Uint8Array())
    const newPreKey = announcedBundle.signedPreKeys.get(bob.transport.installationId)
    expect(newPreKey?.signedPreKey).not.toEqual(oldPreKey?.signedPreKey)
    expect(newPreKey?.version).toBe((oldPreKey?.version ?? 0) + 1)
    expect(announcedBundle.timestamp).toBe(BigInt(clock.ms) * 1_000_000n)

    // Alice still sends on the session from Bob's old prekey; Bob can read it.
    const late = await alice.transport.encrypt(bob.transport.identity, text('late'))
    expect(read((await bob.transport.decrypt(alice.transport.identity, late)).plaintext)).toBe('late')
    // Bob no longer sends on it: he starts a new session from Alice's bundle.
    const fresh = await bob.transport.encrypt(alice.transport.identity, text('fresh'))
    const entry = decodeProtocolMessage(fresh).encryptedMessage.get(alice.transport.installationId)
    expect(entry?.x3dh?.id).toEqual(
      decodeBundle(await alice.transport.bundle()).signedPreKeys.get(alice.transport.installationId)
        ?.signedPreKey,
    )
    const got = await alice.transport.decrypt(bob.transport.identity, fresh)
    expect([read(got.plaintext), got.kind]).toEqual(['fresh', 'x3dh'])
    // That message carried Bob's new bundle: Alice stops sending on the session from his old prekey.
    const answer = await alice.transport.encrypt(bob.transport.identity, text('answer'))
    const answerId = decodeProtocolMessage(answer).encryptedMessage.get(bob.transport.installationId)?.dr?.id
    expect(answerId).toEqual(entry?.x3dh?.id)
    expect(read((await bob.transport.decrypt(alice.transport.identity, answer)).plaintext)).toBe('answer')
    const aliceSessions = await new SessionStore(alice.store, 'secure-transport/').sessions(
      bob.transport.identity,
      bob.transport.installationId,
    )
    expect(aliceSessions.map((session) => [session.bundleId, session.expired])).toEqual(
      expect.arrayContaining([
        [oldPreKey?.signedPreKey, true],
        [entry?.x3dh?.id, false],
      ]),
    )
    // Alice learns Bob's new prekey from his messages; a newcomer's X3DH uses it.
    const carol = await make({ now: clock.now })
    await carol.transport.addBundle(announced[0] ?? new Uint8Array())
    const fromCarol = await carol.transport.encrypt(bob.transport.identity, text('carol'))
    expect(
      decodeProtocolMessage(fromCarol).encryptedMessage.get(bob.transport.installationId)?.x3dh?.id,
    ).toEqual(newPreKey?.signedPreKey)
    expect(read((await bob.transport.decrypt(carol.transport.identity, fromCarol)).plaintext)).toBe('carol')
  })
})
