import { generatePrivateKey } from '@parley/crypto'
import type { KeyValueStore } from '@parley/interfaces'
import { decodeProtocolMessage } from '@parley/secure-transport'
import { afterEach, describe, expect, it } from 'vitest'
import { type Device, device, FlakyStore, introduce, read, text } from './helpers.ts'

const started: Device[] = []
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

describe('StatusSecureTransport when the store fails a write', () => {
  it('rejects the message, keeps the session as it was, and reads the message on retry', async () => {
    const store = new FlakyStore()
    const bob = await device({ store: store as KeyValueStore, identityKey: generatePrivateKey() })
    const alice = await device()
    started.push(alice, bob)
    await introduce(bob, alice)
    const m0 = await alice.transport.encrypt(bob.transport.identity, text('m0'))
    const m1 = await alice.transport.encrypt(bob.transport.identity, text('m1'))
    store.failures = 1
    await expect(bob.transport.decrypt(alice.transport.identity, m1)).rejects.toThrow('disk full')
    expect(read((await bob.transport.decrypt(alice.transport.identity, m1)).plaintext)).toBe('m1')
    expect(read((await bob.transport.decrypt(alice.transport.identity, m0)).plaintext)).toBe('m0')
  })

  it('an encryption whose session update fails is not sent, and the next one uses the same message number', async () => {
    const store = new FlakyStore()
    const alice = await device({ store: store as KeyValueStore, identityKey: generatePrivateKey() })
    const bob = await device()
    started.push(alice, bob)
    await introduce(bob, alice)
    await alice.transport.encrypt(bob.transport.identity, text('first'))
    store.failures = 1
    await expect(alice.transport.encrypt(bob.transport.identity, text('lost'))).rejects.toThrow('disk full')
    const next = await alice.transport.encrypt(bob.transport.identity, text('next'))
    expect(decodeProtocolMessage(next).encryptedMessage.get(bob.transport.installationId)?.dr?.n).toBe(1)
    const got = await bob.transport.decrypt(alice.transport.identity, next)
    expect(read(got.plaintext)).toBe('next')
  })
})
