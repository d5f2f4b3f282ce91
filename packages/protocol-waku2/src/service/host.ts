/**
 * What a Waku v2 request/response service (filter, lightpush, ...) needs of the libp2p host:
 * protocol handlers that survive restarts, and streams to a peer by multiaddr or id.
 */
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  type Libp2pHost,
  NotFoundError,
} from '@parley/interfaces'
import type { ServiceStream } from './stream.ts'

export type ServiceHost = Pick<Libp2pHost, 'handle' | 'unhandle' | 'dialProtocol' | 'connectedPeers'>

/**
 * The peer id `peer` names: a multiaddr ending in `/p2p/<id>`, or a peer id. A bare id must be
 * connected (its address is unknown otherwise). Throws `InvalidParametersError` or `NotFoundError`.
 */
export function peerIdOf(
  host: Pick<ServiceHost, 'connectedPeers'>,
  peer: string,
  options: AbortOptions = {},
): string {
  if (options.signal?.aborted === true) throw new AbortError('aborted before reaching the service peer')
  if (!peer.startsWith('/')) {
    if (!host.connectedPeers().includes(peer))
      throw new NotFoundError(`service peer ${peer} is not connected; pass its multiaddr`)
    return peer
  }
  const match = /\/p2p\/([^/]+)$/.exec(peer)
  if (match?.[1] === undefined)
    throw new InvalidParametersError(`service peer multiaddr must end in /p2p/<peer id>: ${peer}`)
  return match[1]
}

/** Opens `protocol` to `peer` (a multiaddr, dialled when needed, or a peer id). */
export async function openStream(
  host: Pick<ServiceHost, 'dialProtocol'>,
  peer: string,
  protocol: string | readonly string[],
  options: AbortOptions = {},
): Promise<ServiceStream> {
  // The host types streams as unknown so interfaces need not depend on libp2p; they are libp2p streams.
  return (await host.dialProtocol(peer, protocol, options)) as ServiceStream
}
