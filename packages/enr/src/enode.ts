import { bytesToHex, publicKeyFromNodeId } from '@parley/crypto'
import { DecodeError, InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { enrAddresses } from './fields.ts'
import { formatIp, parseIp4, parseIp6 } from './ip.ts'
import type { Enr } from './record.ts'

/**
 * An enode URL: `enode://<id>@<host>:<tcp>[?discport=<udp>]`. `id` is the 128-hex-digit public key
 * (x || y), which devp2p calls the node id; the discovery node id is keccak256 of it.
 */
export interface EnodeUrl {
  /** 128 lowercase hex digits. */
  id: string
  /** An IP literal (normalised, IPv6 without brackets) or a DNS name; absent in `enode://<id>`. */
  host?: string
  /** `host` when it is an IP literal. */
  ip?: string
  tcp: number
  udp: number
}

const HOSTNAME =
  /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i

/**
 * Parses an enode URL as go-ethereum does: the key must be a secp256k1 point, the TCP port is
 * required after a host, `discport` sets a different UDP port, and `enode://<id>` alone is an
 * incomplete node with ports 0. Unlike old go-ethereum, a DNS name is kept as the host rather than
 * resolved. Anything else throws `DecodeError`.
 */
export function parseEnode(url: string): EnodeUrl {
  const match = /^enode:\/\/([^@/?#]*)(?:@([^/?#]*))?(?:\?([^#]*))?$/i.exec(url)
  if (match === null) throw new DecodeError('enode: not an enode:// URL')
  const [, idText = '', hostPort, query] = match
  const id = parseId(idText)
  if (hostPort === undefined) {
    if (query !== undefined) throw new DecodeError('enode: a query needs a host')
    return { id, tcp: 0, udp: 0 }
  }
  const { host, ip, port } = splitHostPort(hostPort)
  const tcp = parsePort(port, 'invalid port')
  let udp = tcp
  const discport = new URLSearchParams(query ?? '').get('discport')
  if (discport !== null && discport !== '') udp = parsePort(discport, 'invalid discport in query')
  return ip === undefined ? { id, host, tcp, udp } : { id, host, ip, tcp, udp }
}

/** Formats an enode URL; the inverse of `parseEnode`. Bad fields throw `InvalidParametersError`. */
export function formatEnode(node: { id: string; host?: string; tcp?: number; udp?: number }): string {
  let id: string
  try {
    id = parseId(node.id)
  } catch (error) {
    throw new InvalidParametersError((error as Error).message)
  }
  if (node.host === undefined) return `enode://${id}`
  const tcp = node.tcp ?? 0
  const udp = node.udp ?? tcp
  for (const port of [tcp, udp])
    if (!Number.isInteger(port) || port < 0 || port > 0xffff)
      throw new InvalidParametersError(`enode: port ${port} is not a uint16`)
  const v6 = parseIp6(node.host)
  const v4 = parseIp4(node.host)
  if (v6 === undefined && v4 === undefined && !HOSTNAME.test(node.host))
    throw new InvalidParametersError(`enode: "${node.host}" is neither an IP address nor a DNS name`)
  const host = v6 !== undefined ? `[${formatIp(v6)}]` : node.host
  return `enode://${id}@${host}:${tcp}${udp === tcp ? '' : `?discport=${udp}`}`
}

function parseId(text: string): string {
  if (text.length !== 128 || !/^[0-9a-f]*$/i.test(text))
    throw new DecodeError('enode: invalid public key (wrong length, want 128 hex chars)')
  try {
    return bytesToHex(publicKeyFromNodeId(text).subarray(1))
  } catch (error) {
    throw new DecodeError('enode: invalid public key (not on secp256k1)', { cause: error })
  }
}

function splitHostPort(hostPort: string): { host: string; ip?: string; port: string } {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostPort)
  if (bracketed !== null) {
    const bytes = parseIp6(bracketed[1]!)
    if (bytes === undefined) throw new DecodeError(`enode: invalid IPv6 host "${bracketed[1]}"`)
    const ip = formatIp(bytes)
    return { host: ip, ip, port: bracketed[2] ?? '' }
  }
  const colon = hostPort.lastIndexOf(':')
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon)
  const port = colon < 0 ? '' : hostPort.slice(colon + 1)
  const v4 = parseIp4(host)
  if (v4 !== undefined) return { host, ip: formatIp(v4), port }
  if (!HOSTNAME.test(host)) throw new DecodeError(`enode: invalid host "${host}"`)
  return { host, port }
}

function parsePort(text: string, message: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 0xffff) throw new DecodeError(`enode: ${message}`)
  return Number(text)
}

/**
 * The enode URL of a record: its key, `ip` (else `ip6`) and `tcp`/`udp` (`tcp6`/`udp6` with ip6).
 * Without an address it is the incomplete form `enode://<id>`. Malformed entries throw `DecodeError`.
 */
export function enodeFromEnr(enr: Enr, secp: Secp256k1Provider): EnodeUrl {
  const id = bytesToHex(secp.convertPublicKey(enr.publicKey, false).subarray(1))
  const addresses = enrAddresses(enr)
  const v4 = addresses.ip !== undefined
  const ip = addresses.ip ?? addresses.ip6
  if (ip === undefined) return { id, tcp: 0, udp: 0 }
  const tcp = (v4 ? addresses.tcp : (addresses.tcp6 ?? addresses.tcp)) ?? 0
  const udp = (v4 ? addresses.udp : (addresses.udp6 ?? addresses.udp)) ?? tcp
  return { id, host: ip, ip, tcp, udp }
}
