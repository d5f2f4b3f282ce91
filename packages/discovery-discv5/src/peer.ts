/**
 * A discv5 record as a `DiscoveredPeer`, and the capability filter. @chainsafe/discv5 verified the
 * record; the fields are read with @parley/enr so Waku fields decode as everywhere else in Parley.
 */
import type { ENR } from '@chainsafe/enr'
import {
  decodeEnrContent,
  type EnrContent,
  enrAddresses,
  enrWakuFields,
  formatEnode,
  libp2pPeerId,
} from '@parley/enr'
import type { DiscoveredPeer, ParleyEvents } from '@parley/interfaces'
import { uncompressedKeyHex } from './point.ts'

/**
 * ENR keys that mark Whisper/Waku v1 support, following go-ethereum's convention of one entry per
 * devp2p protocol, named after it (`eth`, `snap`). status-go's v1 nodes never ran discv5.1 (they
 * used the legacy topic discovery), so only Parley nodes write these; the value is the version.
 */
export const V1_CAPABILITY_KEYS = { whisper: 'shh', waku: 'waku' } as const
export type V1Capability = keyof typeof V1_CAPABILITY_KEYS

/** A verified record read back as Parley's record content plus the `DiscoveredPeer` it reports. */
export interface Discv5Peer {
  peer: DiscoveredPeer
  content: EnrContent
  /** 32-byte discovery node id, hex */
  nodeId: string
  seq: bigint
}

/**
 * `id` follows `DiscoveredPeer`: the libp2p peer id for a record with a `waku2` field, else the
 * enode id. Capabilities are `waku2:<bit>` from the bitfield and `whisper`/`waku` from the v1 keys.
 * Malformed optional Waku fields leave the record reported without them.
 */
export function discv5Peer(enr: ENR): Discv5Peer {
  const bytes = enr.encode()
  const content = decodeEnrContent(bytes)
  const enodeId = uncompressedKeyHex(enr.publicKey)
  const isWaku2 = content.entries.has('waku2')
  const peer: DiscoveredPeer = {
    id: isWaku2 ? libp2pPeerId(enr.publicKey) : enodeId,
    enr: enr.encodeTxt(),
  }
  const addresses = enrAddresses(content)
  const ip = addresses.ip ?? addresses.ip6
  if (ip !== undefined) {
    const tcp = addresses.ip !== undefined ? addresses.tcp : (addresses.tcp6 ?? addresses.tcp)
    const udp = addresses.ip !== undefined ? addresses.udp : (addresses.udp6 ?? addresses.udp)
    peer.enode = formatEnode({ id: enodeId, host: ip, tcp: tcp ?? 0, udp: udp ?? tcp ?? 0 })
  }
  const capabilities: string[] = []
  for (const [capability, key] of Object.entries(V1_CAPABILITY_KEYS))
    if (content.entries.has(key)) capabilities.push(capability)
  try {
    const waku = enrWakuFields(content)
    if (waku.multiaddrs !== undefined && waku.multiaddrs.length > 0) peer.multiaddrs = waku.multiaddrs
    for (const capability of waku.capabilities ?? []) capabilities.push(`waku2:${capability}`)
  } catch {
    // The signature is good; only an optional field is malformed.
  }
  if (capabilities.length > 0) peer.capabilities = capabilities
  return { peer, content, nodeId: enr.nodeId, seq: enr.seq }
}

/**
 * True when `peer` has at least one of `wanted` (`whisper`, `waku`, `waku2:relay`, `waku2:store`,
 * …); an empty or absent list accepts every peer.
 */
export function hasCapability(peer: DiscoveredPeer, wanted: readonly string[] | undefined): boolean {
  if (wanted === undefined || wanted.length === 0) return true
  return wanted.some((capability) => peer.capabilities?.includes(capability) === true)
}

/** The node-wide `peer:discovery` event of a discv5 peer. */
export function discoveryEvent({ peer, content }: Discv5Peer): ParleyEvents['peer:discovery'] {
  return {
    id: peer.id,
    overlay: content.entries.has('waku2') ? 'libp2p' : 'devp2p',
    source: 'discv5',
    ...(peer.enode === undefined ? {} : { enode: peer.enode }),
    ...(peer.enr === undefined ? {} : { enr: peer.enr }),
    ...(peer.multiaddrs === undefined ? {} : { multiaddrs: peer.multiaddrs }),
  }
}
