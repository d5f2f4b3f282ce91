/**
 * What an envelope protocol shows in geth's admin API. `admin_nodeInfo.protocols.shh` (and `.waku`)
 * is go-ethereum's whisperv6 and status-go's waku `NodeInfo`: `{ version, maxMessageSize,
 * minimumPoW }`. Neither reports peers (`admin_peers[].protocols` says `"unknown"`); we report
 * what the Status said and whether we trust the peer, `"handshake"` until its Status arrived.
 */
import { bytesToHex } from '@parley/crypto'
import type { EnvelopePeer } from './peer-state.ts'

export interface EnvelopeNodeInfo {
  /** `6.0` (shh), `1.0` (waku): the protocols' `ProtocolVersionStr` */
  version: string
  maxMessageSize: number
  minimumPoW: number
}

/** The per-peer part every envelope protocol shares; a protocol adds its own fields. */
export interface EnvelopePeerInfo {
  version: string
  /** the minimum PoW it asked for: we send it nothing below */
  pow: number
  lightNode: boolean
  /** we accept its direct p2p messages and expired envelopes (a mailserver) */
  trusted: boolean
  [field: string]: unknown
}

export function envelopeNodeInfo(version: number, maxMessageSize: number, minPow: number): EnvelopeNodeInfo {
  return { version: versionString(version), maxMessageSize, minimumPoW: minPow }
}

/** `undefined` (the host shows `"handshake"`) until the peer's Status was accepted. */
export function envelopePeerInfo(
  version: number,
  state: EnvelopePeer | undefined,
  trusted: boolean,
): EnvelopePeerInfo | undefined {
  if (state === undefined || !state.ready) return undefined
  return { version: versionString(version), pow: state.pow, lightNode: state.isLightNode, trusted }
}

/** `0x` + 128 hex digits, or `undefined` for "no bloom: everything" */
export function bloomHex(bloom: Uint8Array | undefined): string | undefined {
  return bloom === undefined ? undefined : `0x${bytesToHex(bloom)}`
}

function versionString(version: number): string {
  return `${version}.0`
}
