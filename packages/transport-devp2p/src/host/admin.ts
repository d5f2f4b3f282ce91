/**
 * geth's `admin_peers` and `admin_nodeInfo` views of the host. A capability may report what its
 * protocol knows (`info`, `nodeInfo` on `Devp2pCapabilityWithInfo`); as in go-ethereum, one without
 * a reporter shows `"unknown"`, and a reporter that returns `undefined` shows `"handshake"`.
 */
import type { Devp2pCapability, Devp2pNodeInfo, Devp2pPeer, Devp2pPeerInfo } from '@parley/interfaces'
import { formatEnode } from './enode.ts'
import type { Devp2pHostPeer } from './peer.ts'

/** A capability that can describe itself and its peers for the admin API. */
export interface Devp2pCapabilityWithInfo extends Devp2pCapability {
  /** `admin_peers[].protocols[name]` for `peer` (the view its handlers received) */
  info?(peer: Devp2pPeer): unknown
  /** `admin_nodeInfo.protocols[name]` */
  nodeInfo?(): unknown
}

export interface PeerInfoContext {
  capabilities: readonly Devp2pCapabilityWithInfo[]
  isStatic: boolean
  isTrusted: boolean
}

/** `host:port`, IPv6 bracketed, as Go's `net.Addr.String()` prints it. */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  const shown = host ?? 'unknown'
  return `${shown.includes(':') ? `[${shown}]` : shown}:${port ?? 0}`
}

export function describePeer(peer: Devp2pHostPeer, context: PeerInfoContext): Devp2pPeerInfo {
  const { socket } = peer
  const protocols: Record<string, unknown> = {}
  for (const shared of peer.capabilities) {
    const capability = context.capabilities.find(
      (c) => c.name === shared.name && c.version === shared.version,
    )
    protocols[shared.name] = report(() => capability?.info?.(peer.view(shared.name)), capability?.info)
  }
  return {
    id: peer.id,
    name: peer.clientId,
    // As go-ethereum: the address the connection came from, not the Hello's listen port.
    enode: formatEnode(peer.id, socket.remoteAddress ?? 'unknown', socket.remotePort ?? 0),
    caps: peer.capabilities.map((c) => `${c.name}/${c.version}`),
    network: {
      localAddress: formatAddress(socket.localAddress, socket.localPort),
      remoteAddress: peer.remoteAddress,
      inbound: peer.direction === 'inbound',
      trusted: context.isTrusted,
      static: context.isStatic,
    },
    protocols,
  }
}

export interface NodeInfoContext {
  nodeId: string
  clientId: string
  /** the configured listen interface */
  host: string
  port: number
  capabilities: readonly Devp2pCapabilityWithInfo[]
}

export function describeNode(context: NodeInfoContext): Devp2pNodeInfo {
  const { nodeId, host, port } = context
  const protocols: Record<string, unknown> = {}
  for (const capability of context.capabilities)
    if (!(capability.name in protocols))
      protocols[capability.name] = report(() => capability.nodeInfo?.(), capability.nodeInfo)
  return {
    id: nodeId,
    name: context.clientId,
    enode: formatEnode(nodeId, host, port),
    ip: host,
    // No discovery runs; the enode URL carries no `discport`, which means "the TCP port".
    ports: { discovery: port, listener: port },
    listenAddr: formatAddress(host, port),
    protocols,
  }
}

/** A reporter's answer; a reporter that throws must not break the admin API. */
function report(read: () => unknown, reporter: unknown): unknown {
  if (reporter === undefined) return 'unknown'
  try {
    return read() ?? 'handshake'
  } catch {
    return 'unknown'
  }
}
