/** Nodes for the Whisper and Waku v1 checks: one protocol each, on 127.0.0.1 port 0. */
import { createNode, type ParleyNode } from '@parley/core'
import {
  AbortError,
  type Capability,
  devp2pHost,
  type V1PrivacyProtocol,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import type { Devp2pProtocolName } from '../config/schema.ts'
import { type DemoContext, expectThat } from './check.ts'

/** Status clients post at 0.002; go-ethereum's nodes require 0.2. */
export const STATUS_POW = 0.002
export const GETH_POW = 0.2
export const TTL = 10

export const V1_CAPABILITIES: Readonly<Record<Devp2pProtocolName, Capability<V1PrivacyProtocol>>> = {
  whisper: whisperProtocol,
  waku1: waku1Protocol,
}

export function v1Node(
  context: DemoContext,
  name: string,
  protocol: Devp2pProtocolName,
  minPow = STATUS_POW,
): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ host: '127.0.0.1', port: 0, clientId: `parley-demo/${name}` })],
    protocols: [protocol === 'whisper' ? whisper({ minPow }) : waku1({ minPow })],
    logger: context.logger,
  })
}

export function enodeOf(node: ParleyNode): string {
  const enode = node.get(devp2pHost).enode
  expectThat(enode !== undefined, `${node.name} is not listening`)
  return enode
}

/** Polls `condition` every 5 ms until it holds; rejects on abort (the runner's timeout). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  signal: AbortSignal,
): Promise<void> {
  while (!(await condition())) {
    if (signal.aborted) throw new AbortError()
    await sleep(5)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Dials `b` from `a` and waits until both protocols have accepted the other's Status. */
export async function connect(
  a: ParleyNode,
  b: ParleyNode,
  protocol: Devp2pProtocolName,
  signal: AbortSignal,
): Promise<void> {
  await a.get(devp2pHost).dial(enodeOf(b), { signal })
  const ready = (node: ParleyNode, other: ParleyNode) =>
    node.get(V1_CAPABILITIES[protocol]).readyPeers().includes(other.get(devp2pHost).nodeId)
  await waitFor(() => ready(a, b) && ready(b, a), signal)
}

/** `parley_<protocol>_envelopes_total{result}` in the node's registry; 0 before the first count. */
export async function envelopesCounted(
  node: ParleyNode,
  protocol: Devp2pProtocolName,
  result: string,
): Promise<number> {
  const prefix = `parley_${protocol}_envelopes_total{result="${result}"} `
  const line = (await node.metrics.expose()).split('\n').find((row) => row.startsWith(prefix))
  return line === undefined ? 0 : Number(line.slice(prefix.length))
}

/** Starts `nodes` in order, runs `body`, and stops every node it started whatever happens. */
export async function withNodes<T>(
  nodes: ParleyNode[],
  signal: AbortSignal,
  body: () => Promise<T>,
): Promise<T> {
  const started: ParleyNode[] = []
  try {
    for (const node of nodes) {
      started.push(node)
      await node.start({ signal })
    }
    return await body()
  } finally {
    await Promise.all(started.map((node) => node.stop()))
  }
}
