/** The node's own record: its key, addresses and the capability fields discv5 advertises. */
import { SignableENR } from '@chainsafe/enr'
import {
  addressEntries,
  encodeWaku2,
  encodeWakuMultiaddrs,
  parseIp,
  type RelayShards,
  shardsEntry,
  type Waku2Capability,
} from '@parley/enr'
import { InvalidParametersError } from '@parley/interfaces'
import { V1_CAPABILITY_KEYS, type V1Capability } from './peer.ts'

export interface LocalEnrInit {
  /** 32-byte secp256k1 private key (the node's identity) */
  privateKey: Uint8Array
  /** the IP written as `ip`/`ip6`; absent: no address (peers then learn it from PONGs) */
  ip?: string
  udp: number
  /** the devp2p or libp2p TCP port, when the node listens on one */
  tcp?: number
  /** `waku2` bitfield; Waku nodes in discv5 must set at least one bit */
  waku2?: readonly Waku2Capability[]
  /** `multiaddrs` (31/WAKU2-ENR: addresses not derivable from ip/tcp, e.g. WebSocket), without /p2p */
  multiaddrs?: readonly string[]
  /** `rs` (or `rsv` above 63 shards) */
  shards?: RelayShards
  /** Whisper/Waku v1 protocols the node speaks, with their versions */
  v1?: Partial<Record<V1Capability, number>>
}

/** Builds and signs (seq 1) the local record. Bad fields throw `InvalidParametersError`. */
export function localEnr(init: LocalEnrInit): SignableENR {
  const enr = SignableENR.createV4(init.privateKey)
  if (init.ip !== undefined) {
    const bytes = parseIp(init.ip)
    if (bytes === undefined) throw new InvalidParametersError(`discv5: "${init.ip}" is not an IP address`)
    const v4 = bytes.length === 4
    // Written through addressEntries, not the ENR's port setters: those always write two bytes, a
    // non-canonical RLP integer below port 256 that strict decoders (go-ethereum, ours) refuse.
    const addresses = v4
      ? { ip: init.ip, udp: init.udp, ...(init.tcp === undefined ? {} : { tcp: init.tcp }) }
      : { ip6: init.ip, udp6: init.udp, ...(init.tcp === undefined ? {} : { tcp6: init.tcp }) }
    for (const [key, value] of addressEntries(addresses)) enr.set(key, value)
  }
  if (init.waku2 !== undefined) enr.set('waku2', encodeWaku2(init.waku2))
  if (init.multiaddrs !== undefined && init.multiaddrs.length > 0)
    enr.set('multiaddrs', encodeWakuMultiaddrs(init.multiaddrs))
  if (init.shards !== undefined) enr.set(...shardsEntry(init.shards))
  for (const [capability, version] of Object.entries(init.v1 ?? {})) {
    if (version === undefined) continue
    if (!Number.isInteger(version) || version < 0 || version > 255)
      throw new InvalidParametersError(`discv5: ${capability} version ${version} is not a byte`)
    enr.set(
      V1_CAPABILITY_KEYS[capability as V1Capability],
      version === 0 ? new Uint8Array() : Uint8Array.of(version),
    )
  }
  return enr
}
