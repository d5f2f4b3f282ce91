/**
 * Trusted peers, max message size and the direct packets (125–127) on shh/6, against a hand-driven
 * peer over loopback TCP. Pins the wire forms: 126 is one envelope; we send 127 as go-ethereum's
 * single envelope (one per packet, which every shh/6 node decodes) and accept status-im/whisper's
 * list too; 125 is status-go's RLP byte string.
 */
import type { ParleyNode } from '@parley/core'
import { utf8ToBytes } from '@parley/crypto'
import {
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  fullBloom,
  sealEnvelope,
  topicFromName,
  topicToHex,
  WhisperCode,
} from '@parley/envelope'
import {
  AbortError,
  InvalidParametersError,
  NotFoundError,
  type ReceivedMessage,
  type V1DirectEvents,
} from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'
import { MAX_MESSAGE_SIZE_LIMIT } from '../src/index.ts'
import {
  connect,
  dialRaw,
  envelopesCounted,
  nodeId,
  nowSeconds,
  pause,
  RAW_WHISPER_STATUS,
  type RawPeer,
  rawPeer,
  shh,
  startBoth,
  stoppedAfterEach,
  until,
  whisperHandshake,
  whisperNode,
} from './helpers.ts'

const topic = topicFromName('parley-direct')
const T = topicToHex(topic)

const nodes = stoppedAfterEach()

interface Setup {
  node: ParleyNode
  raw: RawPeer
  live: ReceivedMessage[]
  p2p: ReceivedMessage[]
}

async function setup(init = {}): Promise<Setup> {
  const node = whisperNode('target', init)
  const raw = rawPeer('raw')
  await startBoth(nodes, node, raw)
  const live: ReceivedMessage[] = []
  const p2p: ReceivedMessage[] = []
  await shh(node).subscribe({ topics: [T] }, (message) => live.push(message))
  await shh(node).subscribe({ topics: [T], allowP2P: true }, (message) => p2p.push(message))
  await dialRaw(raw, node)
  await whisperHandshake(raw, node)
  return { node, raw, live, p2p }
}

/** An envelope that expired an hour ago, with no proof of work: only a trusted peer's history. */
function history(text: string): Envelope {
  const expiry = nowSeconds() - 3600
  return { expiry, ttl: 60, topic, data: utf8ToBytes(text), nonce: 0n }
}

function events<K extends keyof V1DirectEvents & string>(node: ParleyNode, type: K): V1DirectEvents[K][] {
  const seen: V1DirectEvents[K][] = []
  shh(node).addEventListener(type, (event) => seen.push(event.detail))
  return seen
}

describe('whisper trusted peers and max message size', () => {
  it('normalises node ids when trusting: 0x, upper case and enode URLs name the same peer', async () => {
    const node = whisperNode('alone')
    nodes.push(node)
    const id = 'ab'.repeat(64)
    expect(shh(node).isTrustedPeer(id)).toBe(false)
    shh(node).markTrustedPeer(`0x${id.toUpperCase()}`)
    expect(shh(node).isTrustedPeer(id)).toBe(true)
    expect(shh(node).isTrustedPeer(`enode://${id}@127.0.0.1:30303`)).toBe(true)
    expect(shh(node).isTrustedPeer('cd'.repeat(64))).toBe(false)
    expect(() => shh(node).markTrustedPeer('not-a-node')).toThrow(InvalidParametersError)
  })

  it('bounds setMaxMessageSize as geth does and applies it to post', async () => {
    const node = whisperNode('poster')
    nodes.push(node)
    await node.start()
    expect(shh(node).maxMessageSize).toBe(1024 * 1024)
    expect(() => shh(node).setMaxMessageSize(0)).toThrow(InvalidParametersError)
    expect(() => shh(node).setMaxMessageSize(MAX_MESSAGE_SIZE_LIMIT + 1)).toThrow(InvalidParametersError)
    shh(node).setMaxMessageSize(120)
    expect(shh(node).maxMessageSize).toBe(120)
    await expect(shh(node).post({ topic: T, payload: new Uint8Array(101) })).rejects.toThrow(
      InvalidParametersError,
    )
    await expect(shh(node).post({ topic: T, payload: new Uint8Array(100), pow: 0 })).resolves.toMatch(/^0x/)
  })

  it('disconnects a peer whose packet is over the max message size', async () => {
    const { node, raw } = await setup()
    shh(node).setMaxMessageSize(200)
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([history('x'.repeat(300))]))
    await until(() => raw.disconnected, 'oversized packet ends the session')
    expect(await envelopesCounted(node, 'oversized-packet')).toBe(1)
  })
})

describe('whisper direct packets (125–127) from a hand-driven peer', () => {
  it('drops p2p messages and request-completes from an untrusted peer, without holding it against it', async () => {
    const { node, raw, p2p } = await setup({ maxPeerViolations: 1 })
    const messages = events(node, 'p2p:message')
    const completes = events(node, 'p2p:request-complete')
    await raw.peer!.send(WhisperCode.p2pMessage, encodeEnvelope(history('unasked')))
    await raw.peer!.send(WhisperCode.p2pRequestComplete, encode(new Uint8Array(64)))
    await until(async () => (await envelopesCounted(node, 'untrusted-request-complete')) === 1, 'dropped')
    expect(await envelopesCounted(node, 'untrusted-p2p-message')).toBe(1)
    expect(p2p).toHaveLength(0)
    expect(messages).toHaveLength(0)
    expect(completes).toHaveLength(0)
    expect(raw.disconnected).toBe(false)
  })

  it("delivers a trusted peer's expired envelopes (127, both forms) to allowP2P subscriptions only, never relayed", async () => {
    const { node, raw, live, p2p } = await setup()
    const watcher = rawPeer('watcher')
    nodes.push(watcher.node)
    await watcher.node.start()
    await dialRaw(watcher, node)
    await watcher.peer!.send(WhisperCode.status, RAW_WHISPER_STATUS)
    await until(() => shh(node).readyPeers().length === 2, 'watcher ready')
    shh(node).markTrustedPeer(nodeId(raw.node))
    const messages = events(node, 'p2p:message')
    const single = history('single form (go-ethereum)')
    const listed = [history('list form 1'), history('list form 2')]
    await raw.peer!.send(WhisperCode.p2pMessage, encodeEnvelope(single))
    await raw.peer!.send(WhisperCode.p2pMessage, encodeEnvelopes(listed))
    await until(() => p2p.length === 3, 'three direct envelopes delivered')
    expect(p2p.every((message) => message.p2p === true && message.from === nodeId(raw.node))).toBe(true)
    expect(new TextDecoder().decode(p2p[0]!.payload)).toBe('single form (go-ethereum)')
    expect(live).toHaveLength(0)
    expect(messages.map((event) => event.envelopes.length)).toEqual([1, 2])
    expect(messages[1]!.envelopes[1]).toEqual(encodeEnvelope(listed[1]!))
    await pause(100)
    expect(watcher.received.filter((packet) => packet.code === WhisperCode.messages)).toHaveLength(0)
    expect(await envelopesCounted(node, 'p2p')).toBe(3)
  })

  it("delivers a trusted peer's expired envelopes in Messages (1) instead of counting them against it", async () => {
    const { node, raw, live } = await setup({ maxPeerViolations: 1 })
    shh(node).markTrustedPeer(nodeId(raw.node))
    await raw.peer!.send(WhisperCode.messages, encodeEnvelopes([history('an hour late')]))
    await until(() => live.length === 1, 'delivered')
    expect(live[0]!.p2p).toBeUndefined()
    expect(await envelopesCounted(node, 'accepted-expired')).toBe(1)
    expect(raw.disconnected).toBe(false)
  })

  it('emits a p2p request (126, either form) from any peer, and a request complete (125) from a trusted one', async () => {
    const { node, raw } = await setup()
    const requests = events(node, 'p2p:request')
    const completes = events(node, 'p2p:request-complete')
    const request = encodeEnvelope(history('a history request'))
    await raw.peer!.send(WhisperCode.p2pRequest, request)
    // status-go's newer form: a bare MessagesRequest [id, from, to, limit, cursor, bloom, topics].
    const bare = encode([new Uint8Array(32).fill(5), 100, 200, 50, new Uint8Array(0), fullBloom(), []])
    await raw.peer!.send(WhisperCode.p2pRequest, bare)
    await until(() => requests.length === 2, 'requests emitted')
    expect(requests[0]).toEqual({ peer: nodeId(raw.node), payload: request, form: 'envelope' })
    expect(requests[1]).toEqual({ peer: nodeId(raw.node), payload: bare, form: 'messages-request' })
    await shh(node).sendP2PRequest(nodeId(raw.node), bare)
    await until(() => raw.received.some((packet) => packet.code === WhisperCode.p2pRequest), 'sent')
    expect(raw.received.find((packet) => packet.code === WhisperCode.p2pRequest)!.payload).toEqual(bare)
    shh(node).markTrustedPeer(nodeId(raw.node))
    const layout = new Uint8Array(64).fill(7) // requestID || lastEnvelopeHash, no cursor
    await raw.peer!.send(WhisperCode.p2pRequestComplete, encode(layout))
    // The specs' list form reads as the same concatenation.
    await raw.peer!.send(
      WhisperCode.p2pRequestComplete,
      encode([layout.subarray(0, 32), layout.subarray(32), new Uint8Array(0)]),
    )
    await until(() => completes.length === 2, 'two request completes')
    expect(completes[0]).toEqual({ peer: nodeId(raw.node), payload: layout })
    expect(completes[1]!.payload).toEqual(layout)
  })

  it('counts an undecodable p2p request as a violation', async () => {
    const { raw } = await setup({ maxPeerViolations: 1 })
    await raw.peer!.send(WhisperCode.p2pRequest, encode([1, 2]))
    await until(() => raw.disconnected, 'disconnected for a bad 126')
  })

  it('sends 127 as one envelope per packet, 126 as the envelope, 125 as an RLP byte string', async () => {
    const { node, raw } = await setup()
    const id = nodeId(raw.node)
    const replies = [history('one'), history('two')].map((envelope) => encodeEnvelope(envelope))
    await shh(node).sendP2PMessages(id, replies)
    const request = encodeEnvelope(await sealEnvelope({ topic, data: utf8ToBytes('q'), ttl: 50, pow: 0.002 }))
    await shh(node).sendP2PRequest(id, request)
    const layout = new Uint8Array(68).fill(1)
    await shh(node).sendP2PRequestComplete(id, layout)
    const codes = [WhisperCode.p2pMessage, WhisperCode.p2pRequest, WhisperCode.p2pRequestComplete]
    await until(
      () => raw.received.filter((packet) => codes.includes(packet.code as never)).length === 4,
      '4 packets',
    )
    const direct = raw.received.filter((packet) => codes.includes(packet.code as never))
    expect(direct.map((packet) => packet.code)).toEqual([127, 127, 126, 125])
    expect(direct[0]!.payload).toEqual(replies[0])
    expect(decodeEnvelope(direct[1]!.payload)).toEqual(decodeEnvelope(replies[1]!))
    expect(direct[2]!.payload).toEqual(request)
    expect(direct[3]!.payload).toEqual(encode(layout))
  })

  it('refuses direct sends to unknown peers, of bytes that are not an envelope, and when aborted', async () => {
    const { node, raw } = await setup()
    const aborted = AbortSignal.abort()
    await expect(
      shh(node).sendP2PMessages(nodeId(raw.node), [encodeEnvelope(history('x'))], { signal: aborted }),
    ).rejects.toThrow(AbortError)
    await expect(shh(node).sendP2PRequest('ab'.repeat(64), encodeEnvelope(history('x')))).rejects.toThrow(
      NotFoundError,
    )
    await expect(shh(node).sendP2PMessages(nodeId(raw.node), [Uint8Array.of(1, 2)])).rejects.toThrow(
      InvalidParametersError,
    )
  })
})

describe('whisper direct packets between two nodes', () => {
  it('a trusted node replies with history that reaches the allowP2P subscription', async () => {
    const client = whisperNode('client')
    const server = whisperNode('server')
    nodes.push(client, server)
    await client.start()
    await server.start()
    await connect(client, server)
    shh(client).markTrustedPeer(nodeId(server))
    const got: ReceivedMessage[] = []
    await shh(client).subscribe({ topics: [T], allowP2P: true }, (message) => got.push(message))
    const requests = events(server, 'p2p:request')
    const request = encodeEnvelope(history('give me history'))
    await shh(client).sendP2PRequest(nodeId(server), request)
    await until(() => requests.length === 1, 'server got the request')
    await shh(server).sendP2PMessages(nodeId(client), [encodeEnvelope(history('from the archive'))])
    await until(() => got.length === 1, 'history delivered')
    expect(got[0]!.p2p).toBe(true)
    expect(new TextDecoder().decode(got[0]!.payload)).toBe('from the archive')
  })
})
