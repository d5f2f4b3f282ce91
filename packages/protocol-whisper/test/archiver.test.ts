/**
 * `setArchiver`: with an archiver registered (a mailserver), a new envelope reaches the pool, the
 * subscriptions and the peers only once its batch is archived, so what a peer got from us survives
 * our crash. A failed batch is counted and dropped, and the node keeps going.
 */
import { utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelopes,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  encodeWhisperStatus,
  fullBloom,
  sealEnvelope,
  topicFromName,
  topicToHex,
  WhisperCode,
} from '@parley/envelope'
import {
  InvalidParametersError,
  NotStartedError,
  StoreFullError,
  type V1DirectEvents,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { MAX_BATCH, MAX_WAITING } from '../src/archive-gate.ts'
import { hashOf } from '../src/index.ts'
import {
  dialRaw,
  envelopesCounted,
  nodeId,
  pause,
  type RawPeer,
  rawPeer,
  shh,
  stoppedAfterEach,
  until,
  whisperNode,
} from './helpers.ts'

const topic = topicFromName('parley-archiver')
const T = topicToHex(topic)

type Batch = ReadonlyArray<V1DirectEvents['envelope:accepted']>

const nodes = stoppedAfterEach()

function sealed(text: string): Promise<Envelope> {
  return sealEnvelope({ topic, data: utf8ToBytes(text), ttl: 60, pow: 0.002 })
}

/** An archiver whose every batch waits until the test settles it. */
function heldArchiver() {
  const batches: Batch[] = []
  const pending: Array<{ resolve: () => void; reject: (error: unknown) => void }> = []
  const archiver = (batch: Batch) => {
    batches.push(batch)
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }))
  }
  const next = () => {
    const settle = pending.shift()
    if (settle === undefined) throw new Error('no batch is waiting')
    return settle
  }
  return { archiver, batches, next }
}

/** A Whisper node with a feeding raw peer and a receiving raw peer, both ready. */
async function relayBetweenRawPeers() {
  const node = whisperNode('archiving')
  const feeder = rawPeer('feeder')
  const receiver = rawPeer('receiver')
  nodes.push(node, feeder.node, receiver.node)
  for (const each of nodes) await each.start()
  for (const raw of [feeder, receiver]) {
    await dialRaw(raw, node)
    await raw.peer!.send(WhisperCode.status, encodeWhisperStatus({ pow: 0, bloom: fullBloom() }))
  }
  await until(() => shh(node).readyPeers().length === 2, 'both raw peers ready')
  return { node, feeder, receiver }
}

/** Hashes of the envelopes `raw` received in Messages packets. */
function relayedTo(raw: RawPeer): string[] {
  return raw.received
    .filter((packet) => packet.code === WhisperCode.messages)
    .flatMap((packet) => decodeEnvelopes(packet.payload).map(hashOf))
}

describe('setArchiver', () => {
  it('relays, delivers and announces a packet’s envelopes only once their one batch is archived', async () => {
    const { node, feeder, receiver } = await relayBetweenRawPeers()
    const held = heldArchiver()
    shh(node).setArchiver(held.archiver)
    const delivered: string[] = []
    await shh(node).subscribe({ topics: [T] }, (message) => delivered.push(message.hash))
    const accepted: string[] = []
    shh(node).addEventListener('envelope:accepted', (event) => accepted.push(event.detail.hash))
    const envelopes = [await sealed('one'), await sealed('two'), await sealed('three')]
    const hashes = envelopes.map(hashOf)

    await feeder.peer!.send(WhisperCode.messages, encodeEnvelopes(envelopes))
    await until(() => held.batches.length === 1, 'the archiver was called')
    expect(held.batches[0]!.map((detail) => detail.hash)).toEqual(hashes)
    expect(held.batches[0]![0]).toEqual({
      envelope: encodeEnvelope(envelopes[0]!),
      hash: hashes[0],
      from: nodeId(feeder.node),
    })
    await pause(100)
    expect({ relayed: relayedTo(receiver), delivered, accepted }).toEqual({
      relayed: [],
      delivered: [],
      accepted: [],
    })

    held.next().resolve()
    await until(() => relayedTo(receiver).length === 3, 'relayed after archiving')
    expect(relayedTo(receiver)).toEqual(hashes)
    expect(delivered).toEqual(hashes)
    expect(accepted).toEqual(hashes)
    expect(held.batches).toHaveLength(1)
  })

  it('post resolves once archived; a failed batch is counted, never relayed, and the node goes on', async () => {
    const { node, feeder, receiver } = await relayBetweenRawPeers()
    const held = heldArchiver()
    shh(node).setArchiver(held.archiver)
    const full = new StoreFullError('the archive is full')

    const lost = await sealed('lost')
    await feeder.peer!.send(WhisperCode.messages, encodeEnvelopes([lost]))
    await until(() => held.batches.length === 1, 'first batch')
    held.next().reject(full)
    const refusedPost = shh(node).post({ topic: T, payload: utf8ToBytes('mine, refused'), ttl: 60 })
    await until(() => held.batches.length === 2, 'second batch')
    held.next().reject(full)
    await expect(refusedPost).rejects.toBe(full)
    expect(await envelopesCounted(node, 'archive-failed')).toBe(2)

    // The same envelope again is a duplicate: dropped means dropped, not retried by the relay.
    const kept = await sealed('kept')
    await feeder.peer!.send(WhisperCode.messages, encodeEnvelopes([lost, kept]))
    await until(() => held.batches.length === 3, 'third batch')
    expect(held.batches[2]!.map((detail) => detail.hash)).toEqual([hashOf(kept)])
    held.next().resolve()
    const posted = shh(node).post({ topic: T, payload: utf8ToBytes('mine, archived'), ttl: 60 })
    await until(() => held.batches.length === 4, 'fourth batch')
    held.next().resolve()
    const own = await posted
    await until(() => relayedTo(receiver).length === 2, 'the archived ones relayed')
    expect(relayedTo(receiver)).toEqual([hashOf(kept), own])
    expect(shh(node).isStarted()).toBe(true)
  })

  it(`sheds envelopes past ${MAX_WAITING} waiting for a slow archiver, counted as archive-backlog`, async () => {
    const node = whisperNode('lagging', { minPow: 0, dedupCacheSize: 4 * MAX_WAITING })
    const feeder = rawPeer('flooding')
    nodes.push(node, feeder.node)
    for (const each of nodes) await each.start()
    await dialRaw(feeder, node)
    await feeder.peer!.send(WhisperCode.status, encodeWhisperStatus({ pow: 0, bloom: fullBloom() }))
    await until(() => shh(node).readyPeers().length === 1, 'feeder ready')
    const held = heldArchiver()
    shh(node).setArchiver(held.archiver)
    const expiry = Math.floor(Date.now() / 1000) + 60
    const flood = Array.from({ length: MAX_WAITING + 2 }, (_, index) => ({
      expiry,
      ttl: 60,
      topic,
      data: new Uint8Array(new Uint32Array([index]).buffer),
      nonce: 0n,
    }))
    await feeder.peer!.send(WhisperCode.messages, encodeEnvelopes(flood))
    await until(() => held.batches.length === 1, 'the first batch', 10_000)
    expect(held.batches[0]).toHaveLength(MAX_BATCH)
    expect(await envelopesCounted(node, 'archive-backlog')).toBe(2)
    expect(await envelopesCounted(node, 'accepted')).toBe(MAX_WAITING + 2)
  })

  it('takes one archiver at a time; once it unregisters, envelopes flow without one', async () => {
    const { node, feeder, receiver } = await relayBetweenRawPeers()
    const held = heldArchiver()
    const unregister = shh(node).setArchiver(held.archiver)
    expect(() => shh(node).setArchiver(async () => {})).toThrow(InvalidParametersError)
    unregister()
    const envelope = await sealed('free')
    await feeder.peer!.send(WhisperCode.messages, encodeEnvelopes([envelope]))
    await until(() => relayedTo(receiver).length === 1, 'relayed without an archiver')
    expect(held.batches).toEqual([])
    shh(node).setArchiver(async () => {})
  })

  it('stopping drops what waits: a pending post rejects with NotStartedError', async () => {
    const { node } = await relayBetweenRawPeers()
    const held = heldArchiver()
    shh(node).setArchiver(held.archiver)
    const post = shh(node).post({ topic: T, payload: utf8ToBytes('never'), ttl: 60 })
    await until(() => held.batches.length === 1, 'archiving')
    await node.stop()
    held.next().resolve()
    await expect(post).rejects.toBeInstanceOf(NotStartedError)
  })
})
