/** A verified record as a `DiscoveredPeer`, and the cluster test nwaku's peer exchange applies. */
import {
  type Enr,
  type EnrContent,
  enodeFromEnr,
  enrToText,
  enrWakuFields,
  formatEnode,
  libp2pPeerId,
} from '@parley/enr'
import type { DiscoveredPeer, Secp256k1Provider } from '@parley/interfaces'

/**
 * `id` is the libp2p peer id (peer exchange serves Waku nodes), `multiaddrs` the record's Waku
 * addresses plus its ip/tcp as `/ip4/…/tcp/…`, each with `/p2p/<id>` so a host can dial it.
 */
export function peerFromEnr(enr: Enr, secp: Secp256k1Provider): DiscoveredPeer {
  const id = libp2pPeerId(enr.publicKey)
  const enode = enodeFromEnr(enr, secp)
  const peer: DiscoveredPeer = { id, enr: enrToText(enr) }
  const multiaddrs: string[] = []
  if (enode.ip !== undefined && enode.tcp > 0) {
    peer.enode = formatEnode(enode)
    multiaddrs.push(`/${enode.ip.includes(':') ? 'ip6' : 'ip4'}/${enode.ip}/tcp/${enode.tcp}/p2p/${id}`)
  }
  let waku: ReturnType<typeof enrWakuFields> = {}
  try {
    waku = enrWakuFields(enr)
  } catch {
    // Malformed optional fields: the signature is good, keep the peer without them.
  }
  for (const address of waku.multiaddrs ?? [])
    multiaddrs.push(address.includes('/p2p/') ? address : `${address}/p2p/${id}`)
  if (multiaddrs.length > 0) peer.multiaddrs = multiaddrs
  if (waku.capabilities !== undefined)
    peer.capabilities = [...waku.capabilities].map((capability) => `waku2:${capability}`)
  return peer
}

/** The record's relay cluster (`rs`/`rsv`), or undefined without one or when it does not decode. */
export function enrCluster(enr: EnrContent): number | undefined {
  try {
    return enrWakuFields(enr).shards?.cluster
  } catch {
    return undefined
  }
}

/** nwaku's `isClusterMismatched`: only a record that names another cluster mismatches. */
export function clusterMismatch(enr: EnrContent, clusterId: number | undefined): boolean {
  if (clusterId === undefined) return false
  const cluster = enrCluster(enr)
  return cluster !== undefined && cluster !== clusterId
}
