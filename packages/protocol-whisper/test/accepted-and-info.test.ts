/**
 * What the pipeline tells the node about: `envelope:accepted` for every new valid envelope (what a
 * mailserver archives), `peer:ready` when a Status is accepted, and the capability's reports for
 * geth's `admin_nodeInfo` / `admin_peers`.
 */
import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  encodeWhisperStatus,
  envelopeHash,
  envelopePow,
  fullBloom,
  sealEnvelope,
  topicFromName,
  topicToBloom,
  topicToHex,
  WhisperCode,
} from '@parley/envelope'
import { devp2pHost, type V1DirectEvents } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, dialRaw, nodeId, pause, rawPeer, shh, until, whisperNode } from './helpers.ts'

const topic = topicFromName('parley-accepted')
const T = topicToHex(topic)
const nowSeconds = () => Math.floor(Date.now() / 1000)
const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`

let nodes: ParleyNode[] = []
afterEach(async () => {
  await Promise.all(nodes.map((node) => node.stop()))
  nodes = []
})

function events<K extends keyof V1DirectEvents & string>(node: ParleyNode, type: K): V1DirectEvents[K][] {
  const seen: V1DirectEvents[K][] = []
  shh(node).addEventListener(type, (event) => seen.push(event.detail))
  return seen
}

async function sealed(text: string): Promise<Envelope> {
  return sealEnvelope({ topic, data: utf8ToBytes(text), ttl: 60, pow: 0.002 }, { now: nowSeconds() })
}

/** An envelope whose proof of work is surely below our minimum (0.002): its nonce is picked so. */
function weak(text: string): Envelope {
  const envelope: Envelope = { expiry: nowSeconds() + 60, ttl: 60, topic, data: utf8ToBytes(text), nonce: 0n }
  while (envelopePow(envelope) >= 0.001) envelope.nonce++
  return envelope
}

/** A started Whisper node and a hand-driven shh/6 peer whose Status it accepted. */
async function withRawPeer() {
  const node = whisperNode('target')
  const raw = rawPeer('raw')
  nodes.push(node, raw.node)
  await node.start()
  await raw.node.start()
  const ready = events(node, 'peer:ready')
  await dialRaw(raw, node)
  await raw.peer!.send(WhisperCode.status, encodeWhisperStatus({ pow: 0.5, bloom: topicToBloom(topic) }))
  await until(() => ready.length === 1, 'peer:ready')
  expect(ready[0]).toEqual({ peer: nodeId(raw.node) })
  expect(shh(node).readyPeers()).toEqual([nodeId(raw.node)])
  return { node, raw }
}

describe('envelope:accepted', () => {
  it('fires once for each new valid envelope, own posts and peers’, with the envelope RLP', async () => {
    const { node, raw } = await withRawPeer()
    const accepted = events(node, 'envelope:accepted')
    const own = await shh(node).post({ topic: T, payload: utf8ToBytes('mine'), ttl: 60 })
    const theirs = await sealed('theirs')
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([theirs]))
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([theirs])) // a duplicate
    await until(() => accepted.length === 2, 'two accepted')
    await pause(50)
    expect(accepted).toHaveLength(2)
    expect(accepted[0]).toEqual({ envelope: expect.any(Uint8Array), hash: own })
    expect(hex(envelopeHash(decodeEnvelope(accepted[0]!.envelope)))).toBe(own)
    expect(accepted[1]!.from).toBe(nodeId(raw.node))
    expect(accepted[1]!.envelope).toEqual(encodeEnvelope(theirs))
    expect(accepted[1]!.hash).toBe(hex(envelopeHash(theirs)))
  })

  it('does not fire for invalid envelopes, nor for a trusted peer’s direct (127) or expired ones', async () => {
    const { node, raw } = await withRawPeer()
    const accepted = events(node, 'envelope:accepted')
    const direct = events(node, 'p2p:message')
    shh(node).markTrustedPeer(nodeId(raw.node))
    const expired: Envelope = {
      expiry: nowSeconds() - 3600,
      ttl: 60,
      topic,
      data: utf8ToBytes('old'),
      nonce: 0n,
    }
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([expired, weak('weak')]))
    await raw.peer!.send(WhisperCode.p2pMessage, encodeEnvelope(await sealed('direct')))
    await until(() => direct.length === 1, 'direct message arrived')
    await pause(50)
    expect(accepted).toEqual([])
  })
})

describe('admin reports', () => {
  it("admin_nodeInfo.protocols.shh is geth's { version, maxMessageSize, minimumPoW }", async () => {
    const node = whisperNode('info')
    nodes.push(node)
    await node.start()
    expect(node.get(devp2pHost).nodeInfo().protocols.shh).toEqual({
      version: '6.0',
      maxMessageSize: 1024 * 1024,
      minimumPoW: 0.002,
    })
    await shh(node).setMinPow(0.25)
    shh(node).setMaxMessageSize(4096)
    expect(node.get(devp2pHost).nodeInfo().protocols.shh).toMatchObject({
      maxMessageSize: 4096,
      minimumPoW: 0.25,
    })
  })

  it('admin_peers[].protocols.shh says what the Status said, and whether we trust the peer', async () => {
    const { node, raw } = await withRawPeer()
    const info = () => node.get(devp2pHost).peerInfo()[0]?.protocols.shh
    expect(info()).toEqual({
      version: '6.0',
      pow: 0.5,
      lightNode: false,
      trusted: false,
      bloom: hex(topicToBloom(topic)),
    })
    shh(node).markTrustedPeer(nodeId(raw.node))
    expect(info()).toMatchObject({ trusted: true })
  })

  it('shows "handshake" until the Status arrives, and a peer without bloom as null', async () => {
    const a = whisperNode('a')
    const b = whisperNode('b')
    const raw = rawPeer('silent')
    nodes.push(a, b, raw.node)
    await Promise.all([a.start(), b.start(), raw.node.start()])
    await dialRaw(raw, a)
    await until(() => a.get(devp2pHost).peerInfo().length === 1, 'a lists the raw peer')
    expect(a.get(devp2pHost).peerInfo()[0]?.protocols.shh).toBe('handshake')
    await raw.peer!.send(WhisperCode.status, encodeWhisperStatus({ pow: 0 }))
    await until(() => shh(a).readyPeers().length === 1, 'ready')
    expect(a.get(devp2pHost).peerInfo()[0]?.protocols.shh).toMatchObject({ bloom: null, pow: 0 })
    await connect(a, b)
    const ofB = a
      .get(devp2pHost)
      .peerInfo()
      .find((peer) => peer.id === nodeId(b))
    expect(ofB?.protocols.shh).toMatchObject({ pow: 0.002, bloom: hex(fullBloom()) })
  })
})
