import { generatePrivateKey, hexToBytes } from '@parley/crypto'
import {
  DecodeError,
  LimitExceededError,
  NotFoundError,
  UnsupportedError,
  VerificationError,
} from '@parley/interfaces'
import {
  decodeProtocolMessage,
  encodeProtocolMessage,
  ForgedBundleError,
  NoSessionError,
  NotForThisDeviceError,
  type ProtocolMessage,
  ReplayError,
  TooManySkippedError,
  UnknownBundleError,
  UnknownGroupKeyError,
} from '@parley/secure-transport'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { type Device, device, introduce, read, rejected, secp, text } from './helpers.ts'

const started: Device[] = []
async function pair(options: Parameters<typeof device>[0] = {}): Promise<{ alice: Device; bob: Device }> {
  const alice = await device(options)
  const bob = await device(options)
  started.push(alice, bob)
  await introduce(bob, alice)
  return { alice, bob }
}
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

function edit(message: Uint8Array, change: (decoded: ProtocolMessage) => void): Uint8Array {
  const decoded = decodeProtocolMessage(message)
  change(decoded)
  return encodeProtocolMessage(decoded)
}

/** The `public_message` the bytes carry when they decode as a ProtocolMessage, else undefined. */
function publicMessageIn(bytes: Uint8Array): Uint8Array | undefined {
  try {
    return decodeProtocolMessage(bytes).publicMessage
  } catch {
    return undefined
  }
}

/** After a rejection the session still carries messages both ways. */
async function stillWorks(alice: Device, bob: Device): Promise<void> {
  const next = await alice.transport.encrypt(bob.transport.identity, text('still here'))
  expect(read((await bob.transport.decrypt(alice.transport.identity, next)).plaintext)).toBe('still here')
  const back = await bob.transport.encrypt(alice.transport.identity, text('me too'))
  expect(read((await alice.transport.decrypt(bob.transport.identity, back)).plaintext)).toBe('me too')
}

describe('StatusSecureTransport rejects, with a typed error and a metric, changing nothing', () => {
  it('a replayed message', async () => {
    const { alice, bob } = await pair()
    const m0 = await alice.transport.encrypt(bob.transport.identity, text('m0'))
    await bob.transport.decrypt(alice.transport.identity, m0)
    await expect(bob.transport.decrypt(alice.transport.identity, m0)).rejects.toThrow(ReplayError)
    await expect(bob.transport.decrypt(alice.transport.identity, m0)).rejects.toThrow(VerificationError)
    expect(rejected(bob, 'replay')).toBe(2)
    await stillWorks(alice, bob)
  })

  it('a skipped-key flood beyond MaxSkip, then reads the messages inside the window', async () => {
    const { alice, bob } = await pair({ limits: { maxSkip: 5 } })
    const sent: Uint8Array[] = []
    for (let i = 0; i < 8; i++)
      sent.push(await alice.transport.encrypt(bob.transport.identity, text(`m${i}`)))
    const [first, , third, , , , , last] = sent
    if (first === undefined || third === undefined || last === undefined) throw new Error('unreachable')
    await expect(bob.transport.decrypt(alice.transport.identity, last)).rejects.toThrow(TooManySkippedError)
    await expect(bob.transport.decrypt(alice.transport.identity, last)).rejects.toThrow(LimitExceededError)
    expect(rejected(bob, 'too-many-skipped')).toBe(2)
    // Reading m2 moves the window (m0, m1 become skipped keys); m7 is then within reach.
    expect(read((await bob.transport.decrypt(alice.transport.identity, third)).plaintext)).toBe('m2')
    expect(read((await bob.transport.decrypt(alice.transport.identity, last)).plaintext)).toBe('m7')
    expect(read((await bob.transport.decrypt(alice.transport.identity, first)).plaintext)).toBe('m0')
  })

  it('a forged bundle', async () => {
    const { alice, bob } = await pair()
    const message = await alice.transport.encrypt(bob.transport.identity, text('x'))
    const forged = edit(message, (m) => {
      const bundle = m.bundles[0]
      if (bundle === undefined) throw new Error('no bundle')
      bundle.signature = bundle.signature.slice()
      bundle.signature[3] = (bundle.signature[3] ?? 0) ^ 1
    })
    await expect(bob.transport.decrypt(alice.transport.identity, forged)).rejects.toThrow(ForgedBundleError)
    expect(rejected(bob, 'forged-bundle')).toBe(1)
    // A bundle claiming someone else's identity fails the same way.
    const stolen = edit(message, (m) => {
      const bundle = m.bundles[0]
      if (bundle) bundle.identity = bob.transport.identity
    })
    await expect(bob.transport.decrypt(alice.transport.identity, stolen)).rejects.toThrow(ForgedBundleError)
    await expect(bob.transport.addBundle(new Uint8Array([1, 2, 3]))).rejects.toThrow(DecodeError)
    // The untouched message still decrypts: nothing was consumed.
    expect(read((await bob.transport.decrypt(alice.transport.identity, message)).plaintext)).toBe('x')
  })

  it('an X3DH header naming a prekey we never had, and a DR message without a session', async () => {
    const { alice, bob } = await pair()
    const message = await alice.transport.encrypt(bob.transport.identity, text('x'))
    const s = await secp()
    const strangerKey = s.getPublicKey(generatePrivateKey(), true)
    const unknown = edit(message, (m) => {
      const entry = m.encryptedMessage.get(bob.transport.installationId)
      if (entry?.x3dh) entry.x3dh.id = strangerKey
    })
    await expect(bob.transport.decrypt(alice.transport.identity, unknown)).rejects.toThrow(UnknownBundleError)
    const noSession = edit(message, (m) => {
      const entry = m.encryptedMessage.get(bob.transport.installationId)
      if (entry) delete entry.x3dh
    })
    await expect(bob.transport.decrypt(alice.transport.identity, noSession)).rejects.toThrow(NoSessionError)
    expect([rejected(bob, 'unknown-bundle'), rejected(bob, 'no-session')]).toEqual([1, 1])
    expect(read((await bob.transport.decrypt(alice.transport.identity, message)).plaintext)).toBe('x')
  })

  it('a message for other installations only, and hash-ratchet messages under unknown or old-format keys', async () => {
    const { alice, bob } = await pair()
    const carol = await device()
    started.push(carol)
    await introduce(carol, alice)
    const toCarol = await alice.transport.encrypt(carol.transport.identity, text('not for bob'))
    await expect(bob.transport.decrypt(alice.transport.identity, toCarol)).rejects.toThrow(
      NotForThisDeviceError,
    )
    await expect(bob.transport.decrypt(alice.transport.identity, toCarol)).rejects.toThrow(NotFoundError)
    const hashRatchet = (keyId: Uint8Array) =>
      encodeProtocolMessage({
        installationId: 'x',
        bundles: [],
        encryptedMessage: new Map([
          [
            bob.transport.installationId,
            {
              hr: { deprecatedKeyId: 7, seqNo: 1, groupId: Uint8Array.of(1), keyId },
              payload: new Uint8Array(40),
            },
          ],
        ]),
      })
    await expect(
      bob.transport.decrypt(alice.transport.identity, hashRatchet(new Uint8Array(32))),
    ).rejects.toThrow(UnknownGroupKeyError)
    // The old uint32 key ids (no key_id bytes) are not supported.
    await expect(
      bob.transport.decrypt(alice.transport.identity, hashRatchet(new Uint8Array(0))),
    ).rejects.toThrow(UnsupportedError)
    expect([
      rejected(bob, 'not-for-this-device'),
      rejected(bob, 'unknown-group-key'),
      rejected(bob, 'hash-ratchet'),
    ]).toEqual([2, 1, 1])
  })

  it('a tampered DH-fallback payload and a bad ephemeral key', async () => {
    const alice = await device()
    const bob = await device()
    started.push(alice, bob)
    const message = await alice.transport.encrypt(bob.transport.identity, text('dh'))
    const tampered = edit(message, (m) => {
      const entry = m.encryptedMessage.get('none')
      if (entry) entry.payload[0] = (entry.payload[0] ?? 0) ^ 1
    })
    await expect(bob.transport.decrypt(alice.transport.identity, tampered)).rejects.toThrow(VerificationError)
    const badKey = edit(message, (m) => {
      const entry = m.encryptedMessage.get('none')
      if (entry?.dh) entry.dh.key = new Uint8Array(33)
    })
    await expect(bob.transport.decrypt(alice.transport.identity, badKey)).rejects.toThrow(DecodeError)
    expect([rejected(bob, 'authentication'), rejected(bob, 'malformed')]).toEqual([1, 1])
  })

  it('garbage and mutated messages with typed errors only, and the session survives (property)', async () => {
    const { alice, bob } = await pair()
    const base = await alice.transport.encrypt(bob.transport.identity, text('base'))
    await bob.transport.decrypt(alice.transport.identity, base)
    const next = await alice.transport.encrypt(bob.transport.identity, text('next'))
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.uint8Array({ maxLength: 60 }),
        async (at, bit, junk) => {
          const mutated = next.slice()
          const index = at % mutated.length
          mutated[index] = (mutated[index] ?? 0) ^ (1 << bit)
          for (const candidate of [mutated, junk]) {
            try {
              const got = await bob.transport.decrypt(alice.transport.identity, candidate)
              const carried = publicMessageIn(candidate)
              if (carried !== undefined) {
                // Bytes that happen to form an unencrypted ProtocolMessage (2 of 6 million junk arrays
                // sampled, e.g. b2 06 03 …): read as the public message they carry, nothing else.
                expect({ kind: got.kind, plaintext: got.plaintext }).toEqual({
                  kind: 'public',
                  plaintext: carried,
                })
              } else {
                // A flipped bit outside anything authenticated (an unused field) may still decrypt once.
                expect(read(got.plaintext)).toBe('next')
              }
              return
            } catch (error) {
              expect(
                error instanceof DecodeError ||
                  error instanceof VerificationError ||
                  error instanceof NotFoundError ||
                  error instanceof LimitExceededError ||
                  error instanceof UnsupportedError,
              ).toBe(true)
            }
          }
        },
      ),
      // The rare well-formed junk, tried every run (the first byte flipped makes `next` malformed).
      { numRuns: 80, examples: [[0, 0, hexToBytes('b2060307d62d28d838')]] },
    )
    await stillWorks(alice, bob)
  })
})
