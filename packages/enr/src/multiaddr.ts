/**
 * A minimal multiaddr codec: the protocols Waku ENRs carry (ip4, ip6, dns, dns4, dns6, dnsaddr,
 * tcp, udp, ws, wss, p2p, p2p-circuit, quic, quic-v1), binary ⇄ text. Binary is a sequence of
 * (varint code, value) where a value is fixed-size, or varint length || bytes for the variable
 * ones. Bad binary throws `DecodeError`; bad text throws `InvalidParametersError`.
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { fromBase58, toBase58 } from './base58.ts'
import { formatIp, parseIp4, parseIp6 } from './ip.ts'

type Kind = 'ip4' | 'ip6' | 'port' | 'text' | 'peer' | 'none'
interface Protocol {
  code: number
  name: string
  kind: Kind
}

const PROTOCOLS: readonly Protocol[] = [
  { code: 4, name: 'ip4', kind: 'ip4' },
  { code: 6, name: 'tcp', kind: 'port' },
  { code: 41, name: 'ip6', kind: 'ip6' },
  { code: 53, name: 'dns', kind: 'text' },
  { code: 54, name: 'dns4', kind: 'text' },
  { code: 55, name: 'dns6', kind: 'text' },
  { code: 56, name: 'dnsaddr', kind: 'text' },
  { code: 273, name: 'udp', kind: 'port' },
  { code: 290, name: 'p2p-circuit', kind: 'none' },
  { code: 421, name: 'p2p', kind: 'peer' },
  { code: 460, name: 'quic', kind: 'none' },
  { code: 461, name: 'quic-v1', kind: 'none' },
  { code: 477, name: 'ws', kind: 'none' },
  { code: 478, name: 'wss', kind: 'none' },
]
const BY_CODE = new Map(PROTOCOLS.map((protocol) => [protocol.code, protocol]))
const BY_NAME = new Map(PROTOCOLS.map((protocol) => [protocol.name, protocol]))
const FIXED_SIZE: Partial<Record<Kind, number>> = { ip4: 4, ip6: 16, port: 2, none: 0 }

/** Text (`/ip4/1.2.3.4/tcp/30303`) to binary. `ipfs` is read as `p2p`. */
export function multiaddrToBytes(text: string): Uint8Array {
  const parts = text.split('/')
  if (parts[0] !== '' || text.length < 2)
    throw new InvalidParametersError(`multiaddr "${text}" must start with "/"`)
  const out: number[] = []
  for (let i = 1; i < parts.length; i++) {
    const name = parts[i] === 'ipfs' ? 'p2p' : parts[i]!
    const protocol = BY_NAME.get(name)
    if (protocol === undefined) throw new InvalidParametersError(`multiaddr: unknown protocol "${name}"`)
    writeVarint(out, protocol.code)
    if (protocol.kind === 'none') continue
    const value = parts[++i]
    if (value === undefined) throw new InvalidParametersError(`multiaddr: "${name}" needs a value`)
    const bytes = valueToBytes(protocol, value)
    if (bytes === undefined) throw new InvalidParametersError(`multiaddr: bad ${name} value "${value}"`)
    if (FIXED_SIZE[protocol.kind] === undefined) writeVarint(out, bytes.length)
    for (const byte of bytes) out.push(byte)
  }
  return Uint8Array.from(out)
}

/** Binary to text. */
export function multiaddrFromBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DecodeError('multiaddr: empty')
  let text = ''
  const cursor = { offset: 0 }
  while (cursor.offset < bytes.length) {
    const code = readVarint(bytes, cursor)
    const protocol = BY_CODE.get(code)
    if (protocol === undefined) throw new DecodeError(`multiaddr: unknown protocol code ${code}`)
    const size = FIXED_SIZE[protocol.kind] ?? readVarint(bytes, cursor)
    if (cursor.offset + size > bytes.length)
      throw new DecodeError(`multiaddr: ${protocol.name} value is truncated`)
    const value = bytes.subarray(cursor.offset, cursor.offset + size)
    cursor.offset += size
    text += `/${protocol.name}`
    if (protocol.kind !== 'none') text += `/${valueToText(protocol, value)}`
  }
  return text
}

function valueToBytes(protocol: Protocol, value: string): Uint8Array | undefined {
  switch (protocol.kind) {
    case 'ip4':
      return parseIp4(value)
    case 'ip6':
      return parseIp6(value)
    case 'port': {
      if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 0xffff) return undefined
      return Uint8Array.of(Number(value) >> 8, Number(value) & 0xff)
    }
    case 'text':
      return value === '' ? undefined : new TextEncoder().encode(value)
    case 'peer': {
      try {
        const bytes = fromBase58(value)
        return bytes.length === 0 ? undefined : bytes
      } catch {
        return undefined
      }
    }
    default:
      return undefined
  }
}

function valueToText(protocol: Protocol, value: Uint8Array): string {
  switch (protocol.kind) {
    case 'ip4':
    case 'ip6':
      return formatIp(value)
    case 'port':
      return String((value[0]! << 8) | value[1]!)
    case 'text': {
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(value)
        if (text === '' || text.includes('/')) throw new DecodeError(`multiaddr: bad ${protocol.name} name`)
        return text
      } catch (error) {
        if (error instanceof DecodeError) throw error
        throw new DecodeError(`multiaddr: ${protocol.name} name is not UTF-8`, { cause: error })
      }
    }
    default:
      if (value.length === 0) throw new DecodeError('multiaddr: empty peer id')
      return toBase58(value)
  }
}

/** Unsigned LEB128 as multiformats defines it: at most 9 bytes, minimal. */
function readVarint(bytes: Uint8Array, cursor: { offset: number }): number {
  let value = 0
  for (let shift = 0, i = 0; i < 9; i++, shift += 7) {
    const byte = bytes[cursor.offset++]
    if (byte === undefined) throw new DecodeError('multiaddr: truncated varint')
    value += (byte & 0x7f) * 2 ** shift
    if (byte < 0x80) {
      if (byte === 0 && i > 0) throw new DecodeError('multiaddr: non-minimal varint')
      return value
    }
  }
  throw new DecodeError('multiaddr: varint longer than 9 bytes')
}

function writeVarint(out: number[], value: number): void {
  let rest = value
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80)
    rest = Math.floor(rest / 128)
  }
  out.push(rest)
}
