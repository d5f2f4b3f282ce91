/**
 * Loopback fixtures: full nodes with Whisper, and a bare devp2p node that speaks shh/6 by hand. The
 * protocol-neutral ones (`connectBy`, `countedAs`, `rawPeerOn`, …) are shared with Waku v1's tests.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { type Envelope, encodeWhisperStatus, envelopePow, fullBloom, WhisperCode } from '@parley/envelope'
import { type Devp2pPeer, devp2pHost, whisperProtocol } from '@parley/interfaces'
import { devp2p } from '@parley/transport-devp2p'
import { afterEach, expect } from 'vitest'
import { type Whisper, type WhisperInit, whisper } from '../src/index.ts'

export function whisperNode(name: string, init: WhisperInit = {}): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ port: 0, clientId: name })],
    protocols: [whisper({ minPow: 0.002, ...init })],
  })
}

export function shh(node: ParleyNode): Whisper {
  return node.get(whisperProtocol) as Whisper
}

export function nodeId(node: ParleyNode): string {
  return node.get(devp2pHost).nodeId
}

/** Polls until `check` holds; the default bound is generous because a loaded machine delays every timer. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(await check(), what).toBe(true)
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Dials `b` from `a` and waits until both have accepted the other's Status. */
export async function connect(a: ParleyNode, b: ParleyNode): Promise<void> {
  await connectBy(shh, a, b)
}

/** Dials `b` from `a` and waits until both sides' `protocol` has accepted the other's Status. */
export async function connectBy(
  protocol: (node: ParleyNode) => { readyPeers: () => string[] },
  a: ParleyNode,
  b: ParleyNode,
): Promise<void> {
  const enode = b.get(devp2pHost).enode
  if (enode === undefined) throw new Error('node is not listening')
  await a.get(devp2pHost).dial(enode)
  await until(
    () => protocol(a).readyPeers().includes(nodeId(b)) && protocol(b).readyPeers().includes(nodeId(a)),
    'both sides accepted the Status',
  )
}

/** The value of `parley_whisper_envelopes_total{result}` in the node's registry (0 when absent). */
export async function envelopesCounted(node: ParleyNode, result: string): Promise<number> {
  return countedAs(node, 'parley_whisper_envelopes_total', result)
}

/** The value of `<counter>{result}` in the node's registry (0 when absent). */
export async function countedAs(node: ParleyNode, counter: string, result: string): Promise<number> {
  const text = await node.metrics.expose()
  const line = text.split('\n').find((row) => row.startsWith(`${counter}{result="${result}"}`))
  return line === undefined ? 0 : Number(line.split(' ').pop())
}

export interface RawPeer {
  node: ParleyNode
  received: Array<{ code: number; payload: Uint8Array }>
  disconnected: boolean
  /** set once the protocol node has connected */
  peer: Devp2pPeer | undefined
}

/** A node with only devp2p and a hand-driven `shh/6`: it records what it gets and sends what a test says. */
export function rawPeer(name: string): RawPeer {
  return rawPeerOn(name, { name: 'shh', version: 6 })
}

/** A node with only devp2p and a hand-driven capability (128 codes) that records what it gets. */
export function rawPeerOn(name: string, capability: { name: string; version: number }): RawPeer {
  const node = createNode({ name, transports: [devp2p({ port: 0, clientId: name })] })
  const raw: RawPeer = { node, received: [], disconnected: false, peer: undefined }
  node.get(devp2pHost).registerCapability({
    ...capability,
    length: 128,
    onPeerConnect: (peer) => {
      raw.peer = peer
    },
    onMessage: (_peer, code, payload) => {
      raw.received.push({ code, payload })
    },
    onPeerDisconnect: () => {
      raw.disconnected = true
    },
  })
  return raw
}

export async function dialRaw(raw: RawPeer, target: ParleyNode): Promise<Devp2pPeer> {
  const enode = target.get(devp2pHost).enode
  if (enode === undefined) throw new Error('node is not listening')
  await raw.node.get(devp2pHost).dial(enode)
  await until(() => raw.peer !== undefined, 'raw peer connected')
  return raw.peer!
}

/**
 * The nodes a test file starts, each stopped after every test. Call once, at a file's top level
 * (it registers the `afterEach`).
 */
export function stoppedAfterEach(): ParleyNode[] {
  const nodes: ParleyNode[] = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.stop()))
  })
  return nodes
}

/** Starts `node` and `raw`'s node, adding both to `nodes` (stopped after the test). */
export async function startBoth(nodes: ParleyNode[], node: ParleyNode, raw: RawPeer): Promise<void> {
  nodes.push(node, raw.node)
  await node.start()
  await raw.node.start()
}

/** The Status a raw peer sends: PoW 0.002, full bloom, not a light node. */
export const RAW_WHISPER_STATUS = encodeWhisperStatus({ pow: 0.002, bloom: fullBloom(), isLightNode: false })

/**
 * Sends `raw`'s Status and waits until `node`'s Whisper has accepted it and `raw` has read the node's
 * Status (the node's readiness alone does not say that `raw` has read it yet).
 */
export async function whisperHandshake(raw: RawPeer, node: ParleyNode): Promise<void> {
  await raw.peer!.send(WhisperCode.status, RAW_WHISPER_STATUS)
  await until(() => shh(node).readyPeers().length === 1, 'status accepted')
  await until(() => raw.received.some((packet) => packet.code === WhisperCode.status), 'status received')
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/**
 * A live envelope on `topic` whose PoW is below `limit`: the first nonce from 0 that gives one. Nonce
 * 0 alone is over a small limit now and then (its hash follows the wall-clock expiry), so a test
 * that needs a cheap envelope must step past it rather than hope.
 */
export function envelopeBelowPow(
  topic: Uint8Array,
  limit: number,
  { ttl = 1000, data = new Uint8Array(1000) }: { ttl?: number; data?: Uint8Array } = {},
): Envelope {
  const envelope: Envelope = { expiry: nowSeconds() + ttl, ttl, topic, data, nonce: 0n }
  while (envelopePow(envelope) >= limit) envelope.nonce++
  return envelope
}
