/**
 * What the filter needs of the libp2p host (transport-libp2p's `Libp2pHostService`): protocol
 * handlers that survive restarts, and the running node to open streams to a peer.
 */
import {
  AbortError,
  type AbortOptions,
  InvalidConfigError,
  InvalidParametersError,
  type Libp2pHost,
  NotFoundError,
} from '@parley/interfaces'
import type { Libp2pNode } from '@parley/transport-libp2p'

export type Libp2pStream = Awaited<ReturnType<Libp2pNode['dialProtocol']>>
export type Libp2pPeerId = ReturnType<Libp2pNode['getPeers']>[number]

export interface ServiceHost extends Libp2pHost {
  readonly node: Pick<Libp2pNode, 'dialProtocol' | 'getPeers'>
}

/** The host as a `ServiceHost`; throws `InvalidConfigError` for a host without a libp2p node. */
export function serviceHost(host: Libp2pHost, plugin: string): ServiceHost {
  if (!('node' in host))
    throw new InvalidConfigError(`${plugin} needs a libp2p host that exposes its node (transport-libp2p)`)
  return host as ServiceHost
}

/** The connected peer `id`, as the object libp2p dials; undefined when not connected. */
export function connectedPeer(host: ServiceHost, id: string): Libp2pPeerId | undefined {
  return host.node.getPeers().find((peer) => peer.toString() === id)
}

/**
 * `peer` as a libp2p peer id: a multiaddr ending in `/p2p/<id>` is dialled first; a bare peer id
 * must be connected. Throws `InvalidParametersError` or `NotFoundError`.
 */
export async function resolvePeer(
  host: ServiceHost,
  peer: string,
  options: AbortOptions,
): Promise<Libp2pPeerId> {
  if (options.signal?.aborted === true) throw new AbortError('aborted before reaching the service peer')
  let id = peer
  if (peer.startsWith('/')) {
    const match = /\/p2p\/([^/]+)$/.exec(peer)
    if (match?.[1] === undefined)
      throw new InvalidParametersError(`service peer multiaddr must end in /p2p/<peer id>: ${peer}`)
    id = match[1]
    if (connectedPeer(host, id) === undefined)
      await host.dial(peer, options).catch((error: unknown) => {
        if (options.signal?.aborted === true)
          throw new AbortError('dialling the service peer aborted', { cause: error })
        throw error
      })
  }
  const found = connectedPeer(host, id)
  if (found === undefined) throw new NotFoundError(`service peer ${id} is not connected; pass its multiaddr`)
  return found
}

/** True when `error` is it-length-prefixed-stream's refusal of an over-long message. */
export function isOversize(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'InvalidDataLengthError' || error.name === 'InvalidDataLengthLengthError')
  )
}
