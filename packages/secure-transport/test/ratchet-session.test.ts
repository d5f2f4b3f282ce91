import { generatePrivateKey, loadCrypto, randomBytes } from '@parley/crypto'
import {
  DecodeError,
  LimitExceededError,
  type Secp256k1Provider,
  VerificationError,
} from '@parley/interfaces'
import {
  type RatchetHeader,
  type RatchetLimits,
  type RatchetMessage,
  RatchetSession,
  x3dhInitiator,
  x3dhResponder,
} from '@parley/secure-transport'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseState, serializeStateJson } from '../src/ratchet/state.ts'

let secp: Secp256k1Provider

beforeAll(async () => {
  secp = (await loadCrypto()).secp256k1
})

/** A fresh X3DH exchange and the two ratchet sessions built on it, as status-go sets them up. */
function pair(limits?: Partial<RatchetLimits>): { alice: RatchetSession; bob: RatchetSession } {
  const aliceIdentity = generatePrivateKey()
  const ephemeral = generatePrivateKey()
  const bobIdentity = generatePrivateKey()
  const bobPreKey = generatePrivateKey()
  const bobPreKeyPublic = secp.getPublicKey(bobPreKey, true)
  const sharedKey = x3dhInitiator(secp, {
    identityKey: aliceIdentity,
    ephemeralKey: ephemeral,
    theirIdentity: secp.getPublicKey(bobIdentity, true),
    theirSignedPreKey: bobPreKeyPublic,
  })
  const bobKey = x3dhResponder(secp, {
    identityKey: bobIdentity,
    signedPreKey: bobPreKey,
    theirIdentity: secp.getPublicKey(aliceIdentity, true),
    theirEphemeralKey: secp.getPublicKey(ephemeral, true),
  })
  return {
    alice: RatchetSession.initiator(secp, { sharedKey, theirSignedPreKey: bobPreKeyPublic }, { limits }),
    bob: RatchetSession.responder(
      secp,
      { sharedKey: bobKey, signedPreKey: { privateKey: bobPreKey, publicKey: bobPreKeyPublic } },
      { limits },
    ),
  }
}

function flipBit(bytes: Uint8Array, index: number, bit: number): Uint8Array {
  const out = bytes.slice()
  out[index] = (out[index] ?? 0) ^ (1 << bit)
  return out
}

const text = (value: string) => new TextEncoder().encode(value)

function sendMany(session: RatchetSession, count: number): RatchetMessage[] {
  return Array.from({ length: count }, (_, i) => session.encrypt(text(`m${i}`)))
}

type Party = 'alice' | 'bob'
type Command =
  | { kind: 'send'; from: Party }
  | { kind: 'deliver'; pick: number }
  | { kind: 'persist'; who: Party }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom<Party>('alice', 'bob') }),
  fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('persist' as const), who: fc.constantFrom<Party>('alice', 'bob') }),
)

describe('RatchetSession conversations', () => {
  it('decrypts every message of random conversations delivered in random order, across restores', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (commands, tail) => {
          const sessions = pair()
          // Alice must speak first: the responder has no session before the X3DH message arrives.
          const pending: { to: Party; message: RatchetMessage; plaintext: Uint8Array }[] = []
          const send = (from: Party) => {
            const plaintext = randomBytes(1 + pending.length)
            pending.push({
              to: from === 'alice' ? 'bob' : 'alice',
              message: sessions[from].encrypt(plaintext),
              plaintext,
            })
          }
          const deliver = (pick: number) => {
            const [item] = pending.splice(pick % pending.length, 1)
            if (item === undefined) return
            expect(sessions[item.to].decrypt(item.message.header, item.message.ciphertext)).toEqual(
              item.plaintext,
            )
          }
          send('alice')
          for (const step of commands) {
            if (step.kind === 'send') send(step.from)
            else if (step.kind === 'deliver' && pending.length > 0) deliver(step.pick)
            else if (step.kind === 'persist') {
              sessions[step.who] = RatchetSession.restore(secp, sessions[step.who].serialize())
            }
          }
          for (const pick of tail) if (pending.length > 0) deliver(pick)
          while (pending.length > 0) deliver(0)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('ping-pong ratchets the DH keys each turn and reports PN', () => {
    const { alice, bob } = pair()
    const first = alice.encrypt(text('a0'))
    bob.decrypt(first.header, first.ciphertext)
    const reply = bob.encrypt(text('b0'))
    expect(reply.header.dh).not.toEqual(first.header.dh)
    expect(alice.decrypt(reply.header, reply.ciphertext)).toEqual(text('b0'))
    const [second, third] = sendMany(alice, 2)
    expect(second?.header.dh).not.toEqual(first.header.dh)
    expect(second?.header.pn).toBe(1)
    expect(third?.header.n).toBe(1)
  })
})

describe('RatchetSession rejects', () => {
  it('replays, with VerificationError, in order and out of order', () => {
    const { alice, bob } = pair()
    const [m0, m1, m2] = sendMany(alice, 3)
    if (m0 === undefined || m1 === undefined || m2 === undefined) throw new Error('unreachable')
    bob.decrypt(m2.header, m2.ciphertext)
    bob.decrypt(m0.header, m0.ciphertext)
    expect(() => bob.decrypt(m2.header, m2.ciphertext)).toThrow(VerificationError)
    expect(() => bob.decrypt(m0.header, m0.ciphertext)).toThrow(VerificationError)
    expect(bob.decrypt(m1.header, m1.ciphertext)).toEqual(text('m1'))
  })

  it('any tampered ciphertext or header with VerificationError (LimitExceededError past MaxSkip), leaving the session usable', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ciphertext', 'dh', 'n', 'pn'),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (field, position, bit) => {
          const { alice, bob } = pair()
          const message = alice.encrypt(text('hello'))
          const header: RatchetHeader = { ...message.header, dh: message.header.dh.slice() }
          let ciphertext: Uint8Array = message.ciphertext
          if (field === 'ciphertext') {
            ciphertext = flipBit(ciphertext, position % ciphertext.length, bit)
          } else if (field === 'dh') {
            header.dh = flipBit(header.dh, position % 33, bit)
          } else {
            header[field] = (header[field] + 1 + (position % 2000)) >>> 0
          }
          try {
            bob.decrypt(header, ciphertext)
            throw new Error('tampered message decrypted')
          } catch (error) {
            expect(error instanceof VerificationError || error instanceof LimitExceededError).toBe(true)
          }
          expect(bob.decrypt(message.header, message.ciphertext)).toEqual(text('hello'))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('garbage input with only DecodeError, VerificationError or LimitExceededError', () => {
    const { bob } = pair()
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        fc.integer({ min: -5, max: 2 ** 32 + 5 }),
        fc.integer({ min: -5, max: 2 ** 32 + 5 }),
        fc.uint8Array({ maxLength: 100 }),
        (dh, n, pn, ciphertext) => {
          try {
            bob.decrypt({ dh, n, pn }, ciphertext)
          } catch (error) {
            expect(
              error instanceof DecodeError ||
                error instanceof VerificationError ||
                error instanceof LimitExceededError,
            ).toBe(true)
            return
          }
          throw new Error('garbage decrypted')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('restore of garbage or altered state with DecodeError only', () => {
    const { alice } = pair()
    const { state, skipped } = parseState(alice.serialize())
    const good = JSON.parse(new TextDecoder().decode(serializeStateJson(state, skipped))) as Record<
      string,
      unknown
    >
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.json().map(text)), (bytes) => {
        expect(() => RatchetSession.restore(secp, bytes)).toThrow(DecodeError)
      }),
      { numRuns: 200 },
    )
    for (const field of Object.keys(good)) {
      const broken = { ...good, [field]: 'zz' }
      expect(() => RatchetSession.restore(secp, text(JSON.stringify(broken)))).toThrow(DecodeError)
    }
  })
})

describe('RatchetSession skipped keys', () => {
  it('refuses to skip more than maxSkip and stays usable', () => {
    const { alice, bob } = pair({ maxSkip: 10 })
    const messages = sendMany(alice, 12)
    const last = messages[11]
    const tenth = messages[10]
    if (last === undefined || tenth === undefined) throw new Error('unreachable')
    expect(() => bob.decrypt(last.header, last.ciphertext)).toThrow(LimitExceededError)
    expect(bob.decrypt(tenth.header, tenth.ciphertext)).toEqual(text('m10'))
    expect(bob.skippedKeyCount).toBe(10)
  })

  it('keeps at most maxMessageKeys skipped keys, dropping the oldest', () => {
    const { alice, bob } = pair({ maxMessageKeys: 5 })
    const messages = sendMany(alice, 8)
    const last = messages[7]
    if (last === undefined) throw new Error('unreachable')
    bob.decrypt(last.header, last.ciphertext)
    expect(bob.skippedKeyCount).toBe(5)
    for (const i of [0, 1]) {
      const m = messages[i]
      if (m === undefined) throw new Error('unreachable')
      expect(() => bob.decrypt(m.header, m.ciphertext)).toThrow(VerificationError)
    }
    for (const i of [2, 3, 4, 5, 6]) {
      const m = messages[i]
      if (m === undefined) throw new Error('unreachable')
      expect(bob.decrypt(m.header, m.ciphertext)).toEqual(text(`m${i}`))
    }
  })

  it('drops keys with seq <= keysCount - maxKeep, as status-go DeleteOldMks does', () => {
    const { alice, bob } = pair({ maxKeep: 4 })
    const messages = sendMany(alice, 8)
    const last = messages[7]
    if (last === undefined) throw new Error('unreachable')
    bob.decrypt(last.header, last.ciphertext) // skips 0..6: keysCount 7, deletes seq <= 3
    expect(bob.skippedKeyCount).toBe(3)
    const kept = messages[4]
    const dropped = messages[3]
    if (kept === undefined || dropped === undefined) throw new Error('unreachable')
    expect(() => bob.decrypt(dropped.header, dropped.ciphertext)).toThrow(VerificationError)
    expect(bob.decrypt(kept.header, kept.ciphertext)).toEqual(text('m4'))
  })

  it('serializes skipped keys and their order', () => {
    const { alice, bob } = pair({ maxMessageKeys: 3 })
    const messages = sendMany(alice, 6)
    const last = messages[5]
    if (last === undefined) throw new Error('unreachable')
    bob.decrypt(last.header, last.ciphertext)
    const restored = RatchetSession.restore(secp, bob.serialize())
    expect(restored.skippedKeyCount).toBe(3)
    const next = alice.encrypt(text('after'))
    expect(restored.decrypt(next.header, next.ciphertext)).toEqual(text('after'))
    const m2 = messages[2]
    if (m2 === undefined) throw new Error('unreachable')
    expect(restored.decrypt(m2.header, m2.ciphertext)).toEqual(text('m2'))
  })
})
