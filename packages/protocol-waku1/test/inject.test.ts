import { encodeEnvelope, topicFromName } from '@parley/envelope'
import { VerificationError, waku1Protocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { injectionSuite, liveEnvelope } from '../../protocol-whisper/test/injection-suite.ts'
import {
  dialRaw,
  envelopesCounted,
  rawPeer,
  stoppedAfterEach,
  waku,
  wakuHandshake,
  wakuNode,
} from './helpers.ts'

injectionSuite({
  label: 'waku1',
  node: (name) => wakuNode(name, { minPow: 0.002 }),
  protocol: (node) => node.get(waku1Protocol),
  raw: rawPeer,
  join: async (raw, node) => {
    await dialRaw(raw, node)
    await wakuHandshake(raw, node)
  },
  counted: envelopesCounted,
})

describe('waku1 inject and topic interest', () => {
  const nodes = stoppedAfterEach()

  it('refuses an envelope outside our topic interest, as it would a peer’s', async () => {
    const node = wakuNode('interested', { topicInterest: [topicFromName('parley-test-elsewhere')] })
    nodes.push(node)
    await node.start()
    const rlp = encodeEnvelope(await liveEnvelope('not wanted here'))
    await expect(waku(node).inject(rlp)).rejects.toBeInstanceOf(VerificationError)
    await expect(waku(node).inject(rlp)).rejects.toThrow(/topic-mismatch/)
    expect(await envelopesCounted(node, 'injected-topic-mismatch')).toBe(2)
  })
})
