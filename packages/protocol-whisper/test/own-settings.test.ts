import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import {
  encodeBloomFilter,
  encodeEnvelopes,
  encodePowRequirement,
  encodeWhisperStatus,
  fullBloom,
  sealEnvelope,
  topicFromName,
  topicToBloom,
  WhisperCode,
} from '@parley/envelope'
import { afterEach, describe, expect, it } from 'vitest'
import { dialRaw, envelopesCounted, rawPeer, shh, until, whisperNode } from './helpers.ts'

const wanted = topicFromName('parley-wanted')
const dropped = topicFromName('parley-dropped')

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

describe('changing our own bloom and pow requirement', () => {
  it('tells peers, and accepts the previous bloom for syncAllowance seconds only', async () => {
    let clock = Math.floor(Date.now() / 1000)
    const node = whisperNode('target', { now: () => clock, syncAllowance: 10 })
    const raw = rawPeer('raw')
    nodes.push(node, raw.node)
    await node.start()
    await raw.node.start()
    const peer = await dialRaw(raw, node)
    await peer.send(WhisperCode.status, encodeWhisperStatus({ pow: 0, bloom: fullBloom() }))
    await until(() => shh(node).readyPeers().length === 1, 'status accepted')

    const bloom = topicToBloom(wanted)
    await shh(node).setBloomFilter(bloom)
    await shh(node).setMinPow(0.001)
    await until(() => raw.received.some((m) => m.code === WhisperCode.powRequirement), 'pow update sent')
    expect(raw.received.find((m) => m.code === WhisperCode.bloomFilter)?.payload).toEqual(
      encodeBloomFilter(bloom),
    )
    expect(raw.received.find((m) => m.code === WhisperCode.powRequirement)?.payload).toEqual(
      encodePowRequirement(0.001),
    )
    expect(shh(node).bloom).toEqual(bloom)

    const seal = (topic: Uint8Array, text: string) =>
      sealEnvelope({ topic, data: utf8ToBytes(text), ttl: 60, pow: 0.002 }, { now: clock })
    await peer.send(WhisperCode.messages, encodeEnvelopes([await seal(dropped, 'within grace')]))
    await until(
      async () => (await envelopesCounted(node, 'accepted')) === 1,
      'accepted during the grace period',
    )

    clock += 11
    await peer.send(WhisperCode.messages, encodeEnvelopes([await seal(dropped, 'after grace')]))
    await until(async () => (await envelopesCounted(node, 'bloom-mismatch')) === 1, 'rejected after it')
    await peer.send(WhisperCode.messages, encodeEnvelopes([await seal(wanted, 'in the new bloom')]))
    await until(async () => (await envelopesCounted(node, 'accepted')) === 2, 'new bloom accepted')
  })

  it('rejects bad post input with InvalidParametersError', async () => {
    const node = whisperNode('poster')
    nodes.push(node)
    await node.start()
    const payload = new Uint8Array(4)
    for (const message of [
      { topic: 'nothex', payload },
      { topic: '0x0102', payload },
      { topic: '0x01020304', payload, ttl: 0 },
      { topic: '0x01020304', payload, pow: -1 },
      { topic: '0x01020304', payload: new Uint8Array(1024 * 1024) },
    ]) {
      await expect(shh(node).post(message)).rejects.toMatchObject({ code: 'ERR_INVALID_PARAMETERS' })
    }
    await expect(
      shh(node).post({ topic: '0x01020304', payload }, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })
})
