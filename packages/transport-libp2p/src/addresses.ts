/** Peer addresses in and out of the host: dial targets parsed from strings, addresses given their `/p2p/<id>`. */
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { InvalidParametersError } from '@parley/interfaces'

export function withPeerId(address: Multiaddr, id: string): string {
  const text = address.toString()
  return text.endsWith(`/p2p/${id}`) ? text : `${text}/p2p/${id}`
}

/** A multiaddr ending in `/p2p/<id>`, or a bare peer id; throws `InvalidParametersError`. */
export function dialTarget(peer: string): Multiaddr | ReturnType<typeof peerIdFromString> {
  try {
    if (!peer.startsWith('/')) return peerIdFromString(peer)
    const address = multiaddr(peer)
    if (address.getPeerId() === null) throw new InvalidParametersError('no /p2p/<peer id>')
    return address
  } catch (cause) {
    throw new InvalidParametersError(`not a peer id or a multiaddr ending in /p2p/<id>: ${peer}`, { cause })
  }
}

/** A multiaddr; throws `InvalidParametersError`. */
export function parseMultiaddr(address: string): Multiaddr {
  try {
    return multiaddr(address)
  } catch (cause) {
    throw new InvalidParametersError(`not a multiaddr: ${address}`, { cause })
  }
}
