import { decodeEnr, enodeFromEnr, formatEnode, multiaddrToBytes, parseEnode } from '@parley/enr'
import type { DiscoveredPeer, Secp256k1Provider } from '@parley/interfaces'
import { InvalidConfigError } from '@parley/interfaces'

export interface StaticEntries {
  enodes?: readonly string[]
  multiaddrs?: readonly string[]
  enrs?: readonly string[]
}

function reject(kind: string, entry: string, cause: unknown): never {
  const reason = cause instanceof Error ? `: ${cause.message}` : ''
  throw new InvalidConfigError(`staticPeers: bad ${kind} "${entry}"${reason}`, { cause })
}

function fromEnode(text: string): DiscoveredPeer {
  try {
    const url = parseEnode(text)
    // An incomplete `enode://<id>` cannot be dialled, so it is no use as a static peer.
    if (url.host === undefined || url.tcp === 0) throw new Error('the URL has no host and TCP port')
    return { id: url.id, enode: formatEnode(url) }
  } catch (error) {
    return reject('enode', text, error)
  }
}

/** The peer id is the last `/p2p/<id>` component; without one there is nobody to dial. */
function fromMultiaddr(text: string): DiscoveredPeer {
  try {
    multiaddrToBytes(text)
    const parts = text.split('/')
    const at = parts.lastIndexOf('p2p')
    const id = at >= 0 ? parts[at + 1] : undefined
    if (id === undefined || id === '') throw new Error('the address has no /p2p/<peer id> component')
    return { id, multiaddrs: [text] }
  } catch (error) {
    return reject('multiaddr', text, error)
  }
}

function fromEnr(text: string, secp: Secp256k1Provider | undefined): DiscoveredPeer {
  if (secp === undefined) {
    throw new InvalidConfigError(`staticPeers: enr "${text}" needs the secp256k1 option to verify it`)
  }
  try {
    const url = enodeFromEnr(decodeEnr(text, secp), secp)
    const peer: DiscoveredPeer = { id: url.id, enr: text }
    if (url.host !== undefined && url.tcp !== 0) peer.enode = formatEnode(url)
    return peer
  } catch (error) {
    return reject('enr', text, error)
  }
}

/**
 * Validates every entry and turns it into a peer, in the order enodes, multiaddrs, ENRs. Throws
 * `InvalidConfigError` naming the first bad entry. Entries for the same id are merged.
 */
export function parseStaticEntries(entries: StaticEntries, secp?: Secp256k1Provider): DiscoveredPeer[] {
  const peers = new Map<string, DiscoveredPeer>()
  const add = (peer: DiscoveredPeer): void => {
    const known = peers.get(peer.id)
    if (known === undefined) {
      peers.set(peer.id, peer)
      return
    }
    known.enode ??= peer.enode
    known.enr ??= peer.enr
    if (peer.multiaddrs !== undefined) known.multiaddrs = [...(known.multiaddrs ?? []), ...peer.multiaddrs]
  }
  for (const text of entries.enodes ?? []) add(fromEnode(text))
  for (const text of entries.multiaddrs ?? []) add(fromMultiaddr(text))
  for (const text of entries.enrs ?? []) add(fromEnr(text, secp))
  return [...peers.values()]
}
