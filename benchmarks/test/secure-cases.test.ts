/**
 * The ratchet, X3DH, MVDS and 1:1 chat cases, each run for a tiny budget: they must produce sane
 * figures and do the work they claim. The C reference must agree (its selftest checks KDF known
 * answers taken from @parley/secure-transport) and run. No timing assertions.
 */
import { open } from '@parley/envelope'
import { decodeProtocolMessage } from '@parley/secure-transport'
import { describe, expect, it } from 'vitest'
import { chatCases, closeChatLink, openChatLink, receiveChat, sendChat } from '../src/cases/chat-pipeline.ts'
import { nodeSecp256k1 } from '../src/cases/envelope-inputs.ts'
import { mvdsCases } from '../src/cases/mvds-wire.ts'
import {
  exchange,
  ratchetPair,
  secureRatchetCases,
  x3dhParties,
  x3dhSessionPair,
} from '../src/cases/secure-ratchet.ts'
import { NativeReference } from '../src/native.ts'
import { CHAT_RECEIVE_TARGET, CHAT_SEND_TARGET, RATCHET_STEP_TARGET } from '../src/targets.ts'
import { runBriefly } from './brief-run.ts'

describe('ratchet and X3DH cases', () => {
  it('each runs, against its C reference, the DH step with the 0.30 ratio target', async () => {
    const cases = await secureRatchetCases()
    expect(cases.map((c) => [c.id, c.reference, c.target])).toEqual([
      ['ratchet-encrypt-decrypt-1k', 'ratchet-encrypt-decrypt-1k', undefined],
      ['ratchet-dh-step', 'ratchet-dh-step', RATCHET_STEP_TARGET],
      ['x3dh-session-setup', 'x3dh-session-setup', undefined],
    ])
    for (const benchCase of cases) await runBriefly(benchCase)
  })

  it('ping-pong changes the ratchet key every message; the same chain does not', async () => {
    const secp = await nodeSecp256k1()
    const { alice, bob } = ratchetPair(secp)
    const keys = new Set<string>()
    const capture = (session: typeof alice) => {
      const message = session.encrypt(new Uint8Array(4))
      keys.add(Buffer.from(message.header.dh).toString('hex'))
      return message
    }
    // the same chain: one key
    for (let i = 0; i < 3; i++) exchange(alice, bob, i)
    const a1 = capture(alice)
    bob.decrypt(a1.header, a1.ciphertext)
    const a2 = capture(alice)
    bob.decrypt(a2.header, a2.ciphertext)
    expect(keys.size).toBe(1)
    // alternating turns: a new key each time the sender changes
    const b1 = capture(bob)
    alice.decrypt(b1.header, b1.ciphertext)
    const a3 = capture(alice)
    bob.decrypt(a3.header, a3.ciphertext)
    expect(keys.size).toBe(3)
  })

  it('X3DH gives both sides one key, and their sessions talk', async () => {
    const secp = await nodeSecp256k1()
    const parties = x3dhParties(secp)
    const first = x3dhSessionPair(secp, parties)
    const second = x3dhSessionPair(secp, parties)
    // a fresh ephemeral key each time
    expect(first.sharedKey).not.toEqual(second.sharedKey)
    expect(exchange(first.alice, first.bob, 5)[0]).toBe(5)
  })

  it('the C reference passes its selftest and runs the three cases', async () => {
    const native = await NativeReference.create()
    expect(native.build.error).toBeUndefined()
    for (const id of ['ratchet-encrypt-decrypt-1k', 'ratchet-dh-step', 'x3dh-session-setup']) {
      expect(native.unavailable(id)).toBeUndefined()
      // a batch that fails to open a message reports a rate of 0
      expect((await native.measure(id, 20, 1)).value, id).toBeGreaterThan(0)
    }
  }, 120_000)
})

describe('MVDS cases', () => {
  it('encode and decode run', async () => {
    const cases = mvdsCases()
    expect(cases.map((c) => c.id)).toEqual(['mvds-payload-encode-1k', 'mvds-payload-decode-1k'])
    for (const benchCase of cases) await runBriefly(benchCase)
  })
})

describe('1:1 chat pipeline', () => {
  it('sends and receives through every layer, with the 2 000/s targets', async () => {
    const cases = await chatCases()
    expect(cases.map((c) => [c.id, c.target])).toEqual([
      ['chat-1to1-send-1k', CHAT_SEND_TARGET],
      ['chat-1to1-receive-1k', CHAT_RECEIVE_TARGET],
    ])
    for (const benchCase of cases) await runBriefly(benchCase, 30)
  })

  it('a sent message is a signed v1 payload holding a ratchet message holding MVDS holding the signed chat message', async () => {
    const link = await openChatLink()
    try {
      const data = await sendChat(link, link.alice, link.bob)
      const opened = open(data, { symKey: link.topicKey, secp256k1: link.secp })
      expect(opened.signer).toEqual(link.alice.publicKey)
      const entry = [...decodeProtocolMessage(opened.payload).encryptedMessage.values()][0]
      expect(entry?.dr).toBeDefined()
      expect(entry?.x3dh).toBeUndefined()
      const received = await receiveChat(link, link.bob, data)
      // the text travels encrypted: it is nowhere in the v1 payload's plaintext
      const textStart = Buffer.from(received.text.slice(0, 24))
      expect(Buffer.from(opened.payload).includes(textStart)).toBe(false)
      expect(received.text).toHaveLength(1024)
      expect(received.chatId).toBe(`0x${Buffer.from(link.bob.publicKey).toString('hex')}`)
      // a tampered payload is refused
      const tampered = Uint8Array.from(await sendChat(link, link.alice, link.bob))
      tampered[10] = (tampered[10] ?? 0) ^ 1
      await expect(receiveChat(link, link.bob, tampered)).rejects.toThrow()
    } finally {
      await closeChatLink(link)
    }
  })
})
