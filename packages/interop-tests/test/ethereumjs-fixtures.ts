/** A Parley node and an @ethereumjs/devp2p node, connected on loopback with their Status exchanged. */
import type { ParleyNode } from '@parley/core'
import { devp2pHost } from '@parley/interfaces'
import { TheirNode } from './ethereumjs-peer.ts'
import * as theirs from './ethereumjs-wire.ts'
import { MIN_POW, type OurProtocol, ourEnode, ourId, ourNode, ourPeerReady } from './parley-node.ts'

export const FULL_BLOOM = new Uint8Array(64).fill(0xff)

export interface Pair {
  node: ParleyNode
  their: TheirNode
  ourId: string
  theirId: string
  stop(): Promise<void>
}

export interface PairOptions {
  /** who opens the TCP connection (default: they dial us) */
  dialer?: 'us' | 'them'
  /** their waku/1 topic interest, if any */
  topicInterest?: Uint8Array[]
}

/** Their Status for `protocol`, encoded their way: full bloom, our minimum pow, not a light node. */
export function theirStatus(protocol: OurProtocol, options: PairOptions = {}): Uint8Array {
  if (protocol === 'shh') return theirs.whisperStatus({ pow: MIN_POW, bloom: FULL_BLOOM, lightNode: false })
  return theirs.wakuStatus({
    pow: MIN_POW,
    bloom: FULL_BLOOM,
    lightNode: false,
    confirmationsEnabled: false,
    rateLimits: [0, 0, 0],
    bytesRateLimits: [0, 0, 0],
    ...(options.topicInterest === undefined ? {} : { topicInterest: options.topicInterest }),
  })
}

/** Starts both nodes with the same capabilities, connects them and waits until each accepted the other's Status. */
export async function connectedPair(protocols: OurProtocol[], options: PairOptions = {}): Promise<Pair> {
  const node = ourNode('ours', protocols)
  const status = Object.fromEntries(protocols.map((protocol) => [protocol, theirStatus(protocol, options)]))
  const their = new TheirNode({ capabilities: protocols, status })
  const stop = async () => {
    await Promise.all([node.stop(), their.stop()])
  }
  try {
    await Promise.all([node.start(), their.listen()])
    if (options.dialer === 'us') await node.get(devp2pHost).dial(their.enode)
    else await their.dial(ourEnode(node))
    for (const protocol of protocols) {
      await their.received({ peerId: ourId(node), capability: protocol, code: 0 })
      await ourPeerReady(node, protocol, their.id)
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { node, their, ourId: ourId(node), theirId: their.id, stop }
}
