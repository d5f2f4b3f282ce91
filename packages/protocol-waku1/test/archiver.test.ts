/**
 * With an archiver registered (a mailserver), a Waku v1 confirmation is a promise kept: the Message
 * Response and Batch Acknowledged for a Messages packet go out only once its envelopes are archived.
 */
import { keccak256, utf8ToBytes } from '@parley/crypto'
import { decodeBatchAck, encodeEnvelopes, sealEnvelope, topicFromName, WakuCode } from '@parley/envelope'
import { describe, expect, it } from 'vitest'
import {
  dialRaw,
  pause,
  rawPeer,
  startBoth,
  stoppedAfterEach,
  until,
  waku,
  wakuHandshake,
  wakuNode,
} from './helpers.ts'

const topic = topicFromName('parley-archived-confirm')

const nodes = stoppedAfterEach()

describe('waku/1 confirmations with an archiver', () => {
  it('acknowledges a batch only after the archiver stored its envelopes', async () => {
    const node = wakuNode('archiving', { confirmationsEnabled: true })
    const raw = rawPeer('raw')
    await startBoth(nodes, node, raw)
    await dialRaw(raw, node)
    await wakuHandshake(raw, node)

    let release: () => void = () => {}
    const archived: string[][] = []
    waku(node).setArchiver((batch) => {
      archived.push(batch.map((detail) => detail.hash))
      return new Promise<void>((resolve) => {
        release = resolve
      })
    })
    const envelopes = [
      await sealEnvelope({ topic, data: utf8ToBytes('a'), ttl: 30, pow: 0.002 }),
      await sealEnvelope({ topic, data: utf8ToBytes('b'), ttl: 30, pow: 0.002 }),
    ]
    const payload = encodeEnvelopes(envelopes)
    await raw.peer!.send(WakuCode.messages, payload)
    await until(() => archived.length === 1, 'the archiver was called')
    expect(archived[0]).toHaveLength(2)
    await pause(100)
    const acks = () => raw.received.filter((packet) => packet.code === WakuCode.batchAcknowledged)
    expect(acks()).toEqual([])

    release()
    await until(() => acks().length === 1, 'acknowledged once archived')
    expect(decodeBatchAck(acks()[0]!.payload)).toEqual(keccak256(payload))
  })
})
