import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { asBytes, fromUint, toNumber } from '@parley/rlp'
import { formatIp, parseIp4, parseIp6 } from './ip.ts'
import type { EnrContent } from './record.ts'

/** The EIP-778 address entries of a record. Each is absent when the record lacks that key. */
export interface EnrAddresses {
  ip?: string
  tcp?: number
  udp?: number
  ip6?: string
  tcp6?: number
  udp6?: number
}

/**
 * Reads `ip`, `tcp`, `udp`, `ip6`, `tcp6`, `udp6`. A present but malformed entry (a 3-byte `ip`,
 * a port with a leading zero or over 65535) throws `DecodeError`, as go-ethereum's `Load` fails.
 */
export function enrAddresses(enr: EnrContent): EnrAddresses {
  const out: EnrAddresses = {}
  const ip = readIp(enr, 'ip', 4)
  if (ip !== undefined) out.ip = ip
  const ip6 = readIp(enr, 'ip6', 16)
  if (ip6 !== undefined) out.ip6 = ip6
  for (const key of ['tcp', 'udp', 'tcp6', 'udp6'] as const) {
    const port = enrPort(enr, key)
    if (port !== undefined) out[key] = port
  }
  return out
}

/** A port entry (`tcp`, `udp`, `tcp6`, `udp6`, or any key holding a uint16). */
export function enrPort(enr: EnrContent, key: string): number | undefined {
  const value = enr.entries.get(key)
  return value === undefined ? undefined : toNumber(value, 2, `enr "${key}"`)
}

function readIp(enr: EnrContent, key: string, length: number): string | undefined {
  const value = enr.entries.get(key)
  if (value === undefined) return undefined
  const bytes = asBytes(value, `enr "${key}"`)
  if (bytes.length !== length) throw new DecodeError(`enr: "${key}" is ${bytes.length} bytes, want ${length}`)
  return formatIp(bytes)
}

/**
 * Entries for `signEnr` from text addresses: `{ ip: '127.0.0.1', udp: 30303 }` becomes the 4-byte
 * `ip` and a minimal big-endian `udp`. A bad address or port throws `InvalidParametersError`.
 */
export function addressEntries(addresses: EnrAddresses): Array<[string, Uint8Array]> {
  const entries: Array<[string, Uint8Array]> = []
  if (addresses.ip !== undefined) entries.push(['ip', ipBytes(addresses.ip, 4)])
  if (addresses.ip6 !== undefined) entries.push(['ip6', ipBytes(addresses.ip6, 16)])
  for (const key of ['tcp', 'udp', 'tcp6', 'udp6'] as const) {
    const port = addresses[key]
    if (port === undefined) continue
    if (!Number.isInteger(port) || port < 0 || port > 0xffff)
      throw new InvalidParametersError(`enr: ${key} port ${port} is not a uint16`)
    entries.push([key, fromUint(port)])
  }
  return entries
}

function ipBytes(text: string, length: 4 | 16): Uint8Array {
  const bytes = length === 4 ? parseIp4(text) : parseIp6(text)
  if (bytes === undefined)
    throw new InvalidParametersError(`enr: "${text}" is not an IPv${length === 4 ? 4 : 6} address`)
  return bytes
}
