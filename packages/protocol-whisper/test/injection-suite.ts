/**
 * `inject` (an envelope from another network, as a bridge hands it over), checked the same way on
 * Whisper v6 and Waku v1: a node with one hand-driven peer that records the Messages packets it gets.
 * What was not relayed is shown without waiting for nothing: a good envelope injected last must be
 * the only one the peer receives, since packets on one connection arrive in order.
 */
import type { ParleyNode } from '@parley/core'
import { bytesToHex, equalBytes, utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelope,
  decodeEnvelopes,
  type Envelope,
  encodeEnvelope,
  envelopeHash,
  sealEnvelope,
  topicFromName,
  topicToHex,
} from '@parley/envelope'
import {
  DecodeError,
  NotStartedError,
  type ReceivedMessage,
  StoreFullError,
  type V1PrivacyProtocol,
  VerificationError,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { envelopeBelowPow, nowSeconds, type RawPeer, startBoth, stoppedAfterEach, until } from './helpers.ts'

const MESSAGES_CODE = 1
export const INJECT_TOPIC = topicFromName('parley-test-inject')

export interface InjectionFixture {
  /** `whisper`, `waku1`: the metric prefix */
  label: string
  /** a node with the protocol at minimum PoW 0.002 */
  node: (name: string) => ParleyNode
  protocol: (node: ParleyNode) => V1PrivacyProtocol
  raw: (name: string) => RawPeer
  /** dials `node` from `raw`, exchanges Status, waits until both are ready */
  join: (raw: RawPeer, node: ParleyNode) => Promise<void>
  counted: (node: ParleyNode, result: string) => Promise<number>
}

/** A live envelope on `INJECT_TOPIC` sealed to at least `pow`. */
export function liveEnvelope(text: string, pow = 0.01, ttl = 30): Promise<Envelope> {
  return sealEnvelope({ topic: INJECT_TOPIC, data: utf8ToBytes(text), ttl, pow })
}

/** A live envelope whose PoW is below `limit`: the first nonce from 0 that gives one. */
export function lowPowEnvelope(text: string, limit: number): Envelope {
  return envelopeBelowPow(INJECT_TOPIC, limit, { ttl: 30, data: utf8ToBytes(text) })
}

export const hashHex = (envelope: Envelope): string => `0x${bytesToHex(envelopeHash(envelope))}`

/** Every envelope the raw peer got in Messages packets, as RLP, in order. */
function relayedTo(raw: RawPeer): Uint8Array[] {
  return raw.received
    .filter((packet) => packet.code === MESSAGES_CODE)
    .flatMap((packet) => decodeEnvelopes(packet.payload).map((envelope) => encodeEnvelope(envelope)))
}

export function injectionSuite(fixture: InjectionFixture): void {
  const nodes = stoppedAfterEach()

  async function joined(): Promise<{ node: ParleyNode; raw: RawPeer; protocol: V1PrivacyProtocol }> {
    const node = fixture.node('injecting')
    const raw = fixture.raw('peer')
    await startBoth(nodes, node, raw)
    await fixture.join(raw, node)
    return { node, raw, protocol: fixture.protocol(node) }
  }

  describe(`${fixture.label} inject`, () => {
    it('relays the envelope byte for byte (same hash) and delivers it locally', async () => {
      const { node, raw, protocol } = await joined()
      const local: ReceivedMessage[] = []
      await protocol.subscribe({ topics: [topicToHex(INJECT_TOPIC)] }, (message) => local.push(message))
      const accepted: string[] = []
      protocol.addEventListener('envelope:accepted', ({ detail }) => accepted.push(detail.hash))
      const rlp = encodeEnvelope(await liveEnvelope('from the other network'))

      const hash = await protocol.inject(rlp)

      expect(hash).toBe(hashHex(decodeEnvelope(rlp)))
      await until(() => relayedTo(raw).length === 1, 'the peer got the envelope', 15_000)
      expect(equalBytes(relayedTo(raw)[0]!, rlp)).toBe(true)
      expect(local.map((message) => message.hash)).toEqual([hash])
      expect(accepted).toEqual([hash])
      expect(await fixture.counted(node, 'injected')).toBe(1)
    })

    it('refuses low-PoW, expired, oversize and malformed envelopes with typed errors, relaying none', async () => {
      const { node, raw, protocol } = await joined()
      protocol.setMaxMessageSize(512)
      const rejected: string[] = []
      node.events.addEventListener('envelope:rejected', ({ detail }) => rejected.push(detail.reason))
      const lowPow = lowPowEnvelope('too little work', protocol.minPow)
      const expired = await sealEnvelope(
        { topic: INJECT_TOPIC, data: utf8ToBytes('long gone'), ttl: 10, pow: 0.01 },
        { now: nowSeconds() - 120 },
      )
      const oversize = await liveEnvelope('x'.repeat(600), 0)

      await expect(protocol.inject(encodeEnvelope(lowPow))).rejects.toThrow(/low-pow/)
      await expect(protocol.inject(encodeEnvelope(lowPow))).rejects.toBeInstanceOf(VerificationError)
      await expect(protocol.inject(encodeEnvelope(expired))).rejects.toThrow(/too-old|expired/)
      await expect(protocol.inject(encodeEnvelope(oversize))).rejects.toThrow(/too-big/)
      await expect(protocol.inject(encodeEnvelope(oversize))).rejects.toBeInstanceOf(VerificationError)
      await expect(protocol.inject(Uint8Array.of(0xc3, 1, 2))).rejects.toBeInstanceOf(DecodeError)

      const good = encodeEnvelope(await liveEnvelope('the only one'))
      await protocol.inject(good)
      await until(() => relayedTo(raw).length > 0, 'the peer got the good envelope', 15_000)
      expect(relayedTo(raw).map((rlp) => bytesToHex(rlp))).toEqual([bytesToHex(good)])
      expect(await fixture.counted(node, 'injected-low-pow')).toBe(2)
      expect(await fixture.counted(node, 'injected-too-old')).toBe(1)
      expect(await fixture.counted(node, 'injected-too-big')).toBe(2)
      expect(await fixture.counted(node, 'injected-decode-error')).toBe(1)
      expect(rejected).toContain('injected-low-pow')
    })

    it('takes a duplicate harmlessly: same hash, sent once', async () => {
      const { node, raw, protocol } = await joined()
      const first = encodeEnvelope(await liveEnvelope('once'))
      const hash = await protocol.inject(first)
      expect(await protocol.inject(first)).toBe(hash)
      const second = encodeEnvelope(await liveEnvelope('twice'))
      await protocol.inject(second)
      await until(() => relayedTo(raw).length >= 2, 'the peer got both envelopes', 15_000)
      expect(relayedTo(raw).map((rlp) => bytesToHex(rlp))).toEqual([bytesToHex(first), bytesToHex(second)])
      expect(await fixture.counted(node, 'injected-duplicate')).toBe(1)
      expect(await fixture.counted(node, 'injected')).toBe(2)
    })

    it('passes through the archiver first: an envelope it refuses is refused and not relayed', async () => {
      const { raw, protocol } = await joined()
      const archived: string[] = []
      const refusal = new StoreFullError('archive full')
      protocol.setArchiver?.(async (envelopes) => {
        if (envelopes.some((envelope) => equalBytes(envelope.envelope, refused))) throw refusal
        archived.push(...envelopes.map((envelope) => envelope.hash))
      })
      const refused = encodeEnvelope(await liveEnvelope('not archived'))
      await expect(protocol.inject(refused)).rejects.toBe(refusal)
      const kept = encodeEnvelope(await liveEnvelope('archived'))
      const hash = await protocol.inject(kept)
      expect(archived).toEqual([hash])
      await until(() => relayedTo(raw).length > 0, 'the peer got the archived envelope', 15_000)
      expect(relayedTo(raw).map((rlp) => bytesToHex(rlp))).toEqual([bytesToHex(kept)])
    })

    it('rejects with NotStartedError before start', async () => {
      const node = fixture.node('unstarted')
      const rlp = encodeEnvelope(await liveEnvelope('too early'))
      await expect(fixture.protocol(node).inject(rlp)).rejects.toBeInstanceOf(NotStartedError)
    })
  })
}
