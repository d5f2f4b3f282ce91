/**
 * Loopback fixtures: full nodes with Waku v1, and a bare devp2p node that speaks waku/1 by hand.
 * The protocol-neutral ones are Whisper's (same host, same handshake shape).
 */
import { createNode, type ParleyNode } from '@parley/core'
import { encodeWakuStatus, WakuCode } from '@parley/envelope'
import { waku1Protocol } from '@parley/interfaces'
import { devp2p } from '@parley/transport-devp2p'
import { connectBy, countedAs, type RawPeer, rawPeerOn, until } from '../../protocol-whisper/test/helpers.ts'
import { type Waku1, type Waku1Init, waku1 } from '../src/index.ts'

export {
  dialRaw,
  envelopeBelowPow,
  nodeId,
  nowSeconds,
  pause,
  type RawPeer,
  startBoth,
  stoppedAfterEach,
  until,
} from '../../protocol-whisper/test/helpers.ts'

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

/** Dials `b` from `a` and waits until both have accepted the other's waku/1 Status. */
export async function connect(a: ParleyNode, b: ParleyNode): Promise<void> {
  await connectBy(waku, a, b)
}

/** The value of `parley_waku1_envelopes_total{result}` in the node's registry (0 when absent). */
export async function envelopesCounted(node: ParleyNode, result: string): Promise<number> {
  return countedAs(node, 'parley_waku1_envelopes_total', result)
}

/** A node with only devp2p and a hand-driven `waku/1`: it records what it gets and sends what a test says. */
export function rawPeer(name: string): RawPeer {
  return rawPeerOn(name, { name: 'waku', version: 1 })
}

/** The Status a raw peer sends: PoW 0.002, not a light node. */
export const RAW_WAKU_STATUS = encodeWakuStatus({ pow: 0.002, lightNode: false })

/**
 * Sends `raw`'s Status and waits until `node`'s Waku v1 has accepted it and `raw` has read the node's
 * Status (the node's readiness alone does not say that `raw` has read it yet).
 */
export async function wakuHandshake(raw: RawPeer, node: ParleyNode): Promise<void> {
  await raw.peer!.send(WakuCode.status, RAW_WAKU_STATUS)
  await until(() => waku(node).readyPeers().length === 1, 'status accepted')
  await until(() => raw.received.some((packet) => packet.code === WakuCode.status), 'status received')
}
