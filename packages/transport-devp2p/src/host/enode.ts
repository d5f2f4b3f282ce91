/** enode URLs: `enode://<128 hex node id>@host:tcpPort[?discport=udpPort]`. */
import { publicKeyFromNodeId } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'

export interface EnodeAddress {
  /** 128 lowercase hex digits */
  nodeId: string
  /** 65-byte uncompressed public key */
  publicKey: Uint8Array
  /** IPv4, IPv6 (without brackets) or a host name */
  host: string
  tcpPort: number
}

const NODE_ID = /^[0-9a-f]{128}$/i

/** Parses an enode URL; throws `InvalidParametersError` on anything that cannot be dialled. */
export function parseEnode(enode: string): EnodeAddress {
  if (!enode.startsWith('enode://')) throw new InvalidParametersError(`not an enode URL: ${enode}`)
  let url: URL
  try {
    url = new URL(enode)
  } catch (cause) {
    throw new InvalidParametersError(`not an enode URL: ${enode}`, { cause })
  }
  if (!NODE_ID.test(url.username) || url.password !== '')
    throw new InvalidParametersError('an enode URL needs a 128-hex-digit node id before @')
  const tcpPort = Number(url.port)
  if (url.port === '' || !Number.isInteger(tcpPort) || tcpPort < 1 || tcpPort > 65535)
    throw new InvalidParametersError('an enode URL needs a TCP port between 1 and 65535')
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw new InvalidParametersError('an enode URL needs a host')
  const nodeId = url.username.toLowerCase()
  // Also checks that the id is a point on the curve.
  const publicKey = publicKeyFromNodeId(nodeId)
  return { nodeId, publicKey, host, tcpPort }
}

/** The enode URL of `nodeId` at `host:tcpPort`; IPv6 hosts are bracketed. */
export function formatEnode(nodeId: string, host: string, tcpPort: number): string {
  const shown = host.includes(':') ? `[${host}]` : host
  return `enode://${nodeId}@${shown}:${tcpPort}`
}
