/** Loopback fixtures: full nodes with Waku v1, and a bare devp2p node that speaks waku/1 by hand. */
import { createNode, type ParleyNode } from '@parley/core'
import { type Devp2pPeer, devp2pHost, waku1Protocol } from '@parley/interfaces'
import { devp2p } from '@parley/transport-devp2p'
import { expect } from 'vitest'
import { type Waku1, type Waku1Init, waku1 } from '../src/index.ts'

export function wakuNode(name: string, init: Waku1Init = {}): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ port: 0, clientId: name })],
    protocols: [waku1(init)],
  })
}

export function waku(node: ParleyNode): Waku1 {
  return node.get(waku1Protocol) as Waku1
}

export function nodeId(node: ParleyNode): string {
  return node.get(devp2pHost).nodeId
}

export async function until(
  check: () => boolean | Promise<boolean>,
  what = 'condition',
  ms = 3000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(await check(), what).toBe(true)
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Dials `b` from `a` and waits until both have accepted the other's waku/1 Status. */
export async function connect(a: ParleyNode, b: ParleyNode): Promise<void> {
  const enode = b.get(devp2pHost).enode
  if (enode === undefined) throw new Error('node is not listening')
  await a.get(devp2pHost).dial(enode)
  await until(
    () => waku(a).readyPeers().includes(nodeId(b)) && waku(b).readyPeers().includes(nodeId(a)),
    'both sides accepted the Status',
  )
}

/** The value of `parley_waku1_envelopes_total{result}` in the node's registry (0 when absent). */
export async function envelopesCounted(node: ParleyNode, result: string): Promise<number> {
  const text = await node.metrics.expose()
  const line = text
    .split('\n')
    .find((row) => row.startsWith(`parley_waku1_envelopes_total{result="${result}"}`))
  return line === undefined ? 0 : Number(line.split(' ').pop())
}

export interface RawPeer {
  node: ParleyNode
  received: Array<{ code: number; payload: Uint8Array }>
  disconnected: boolean
  /** set once the Waku node has connected */
  peer: Devp2pPeer | undefined
}

/** A node with only devp2p and a hand-driven `waku/1`: it records what it gets and sends what a test says. */
export function rawPeer(name: string): RawPeer {
  const node = createNode({ name, transports: [devp2p({ port: 0, clientId: name })] })
  const raw: RawPeer = { node, received: [], disconnected: false, peer: undefined }
  node.get(devp2pHost).registerCapability({
    name: 'waku',
    version: 1,
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
