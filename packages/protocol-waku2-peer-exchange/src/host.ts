/**
 * What these protocols need of the libp2p host, through the `Libp2pHost` interface: protocol
 * handlers, streams (`dialProtocol`), connected peers and their identify protocols (`peerInfo`).
 */
import { type AbortOptions, InvalidParametersError, type Libp2pHost, NotFoundError } from '@parley/interfaces'
import type { Libp2pStream } from '@parley/transport-libp2p'

export type { Libp2pStream }

/** Opens a stream to a connected `peer` (a peer id) on `protocol`. */
export async function openStream(
  host: Libp2pHost,
  peer: string,
  protocol: string,
  options: AbortOptions,
): Promise<Libp2pStream> {
  return (await host.dialProtocol(peer, protocol, options)) as Libp2pStream
}

/**
 * `peer` as a connected libp2p peer id: a multiaddr ending in `/p2p/<id>` is dialled when not
 * connected; a bare peer id must be connected. Throws `InvalidParametersError` or `NotFoundError`.
 */
export async function resolvePeer(host: Libp2pHost, peer: string, options: AbortOptions): Promise<string> {
  let id = peer
  if (peer.startsWith('/')) {
    const match = /\/p2p\/([^/]+)$/.exec(peer)
    if (match?.[1] === undefined)
      throw new InvalidParametersError(`service peer multiaddr must end in /p2p/<peer id>: ${peer}`)
    id = match[1]
    if (!host.connectedPeers().includes(id)) await host.dial(peer, options)
  }
  if (!host.connectedPeers().includes(id))
    throw new NotFoundError(`peer ${id} is not connected; pass its multiaddr`)
  return id
}

/** What transport-libp2p's host offers beyond `Libp2pHost` to close a peer's connections. */
interface HangUpView {
  node: { getPeers(): Array<{ toString(): string }>; hangUp(peer: never): Promise<void> }
}

/**
 * Closes every connection to `peer`. `Libp2pHost` has no such method yet, so this is the one place
 * that reaches into transport-libp2p's `node`; a host without one cannot disconnect (resolves false).
 */
export async function hangUp(host: Libp2pHost, peer: string): Promise<boolean> {
  const node = (host as Partial<HangUpView>).node
  const id = node?.getPeers().find((candidate) => candidate.toString() === peer)
  if (node === undefined || id === undefined) return false
  await node.hangUp(id as never)
  return true
}
