import { type Enr, enodeFromEnr, enrToText, enrWakuFields, formatEnode, libp2pPeerId } from '@parley/enr'
import type { DiscoveredPeer, ParleyEvents, Secp256k1Provider } from '@parley/interfaces'

/**
 * A node record as a `DiscoveredPeer`: `id` is its overlay id, as every discovery source reports it
 * (the libp2p peer id for a record with a `waku2` field, else the enode id, the 64-byte public key),
 * `enode` its URL form, and `multiaddrs` and `waku2:<capability>` come from the Waku fields when
 * present. A record whose Waku fields do not decode is still reported, without them.
 */
export function discoveredPeer(enr: Enr, secp: Secp256k1Provider): DiscoveredPeer {
  const enode = enodeFromEnr(enr, secp)
  const peer: DiscoveredPeer = {
    id: enr.entries.has('waku2') ? libp2pPeerId(enr.publicKey) : enode.id,
    enr: enrToText(enr),
    enode: formatEnode(enode),
  }
  let waku: ReturnType<typeof enrWakuFields> = {}
  try {
    waku = enrWakuFields(enr)
  } catch {
    // Malformed optional fields: the record itself was verified, so keep the peer.
  }
  if (waku.multiaddrs !== undefined && waku.multiaddrs.length > 0) peer.multiaddrs = waku.multiaddrs
  if (waku.capabilities !== undefined)
    peer.capabilities = [...waku.capabilities].map((capability) => `waku2:${capability}`)
  return peer
}

/**
 * The node-wide `peer:discovery` event for a peer. Its `id` follows `PeerEventDetail`: the enode id
 * (64-byte public key) for devp2p peers, the libp2p peer id for records with a `waku2` field.
 */
export function discoveryEvent(enr: Enr, peer: DiscoveredPeer): ParleyEvents['peer:discovery'] {
  return {
    id: peer.id,
    overlay: enr.entries.has('waku2') ? 'libp2p' : 'devp2p',
    source: 'dns',
    ...(peer.enode === undefined ? {} : { enode: peer.enode }),
    ...(peer.enr === undefined ? {} : { enr: peer.enr }),
    ...(peer.multiaddrs === undefined ? {} : { multiaddrs: peer.multiaddrs }),
  }
}
