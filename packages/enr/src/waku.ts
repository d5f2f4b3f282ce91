/**
 * Waku ENR fields (31/WAKU2-ENR, relay sharding): the `waku2` capability byte, the `multiaddrs`
 * list, and the shard fields `rs` (index list) and `rsv` (bit vector).
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { asBytes, type RlpValue } from '@parley/rlp'
import { toBase58 } from './base58.ts'
import { multiaddrFromBytes, multiaddrToBytes } from './multiaddr.ts'
import type { EnrContent } from './record.ts'

/** Bit positions in `waku2`, per nwaku `waku_enr/capabilities.nim` (bit 0 is the least significant). */
export const WAKU2_CAPABILITY_BITS = { relay: 0, store: 1, filter: 2, lightpush: 3, sync: 4, mix: 5 } as const
export type Waku2Capability = keyof typeof WAKU2_CAPABILITY_BITS

/** Shard indices go up to 1023 (nwaku `MaxShardIndex`). */
export const MAX_SHARD_INDEX = 1023
/** From this many shards on, `rsv` replaces `rs` (nwaku `ShardingIndicesListMaxLength`). */
export const RS_MAX_SHARDS = 63
const RSV_LENGTH = 2 + 128

export interface RelayShards {
  cluster: number
  shards: number[]
}

export function encodeWaku2(capabilities: Iterable<Waku2Capability>): Uint8Array {
  let bits = 0
  for (const capability of capabilities) {
    const bit = WAKU2_CAPABILITY_BITS[capability]
    if (bit === undefined) throw new InvalidParametersError(`waku2: unknown capability "${capability}"`)
    bits |= 1 << bit
  }
  return Uint8Array.of(bits)
}

/** The capabilities set in a one-byte `waku2` value; bits 6 and 7 are ignored. */
export function decodeWaku2(value: RlpValue): Set<Waku2Capability> {
  const bytes = asBytes(value, 'waku2')
  if (bytes.length !== 1) throw new DecodeError(`waku2: ${bytes.length} bytes, want 1`)
  const out = new Set<Waku2Capability>()
  for (const [name, bit] of Object.entries(WAKU2_CAPABILITY_BITS) as Array<[Waku2Capability, number]>)
    if ((bytes[0]! >> bit) & 1) out.add(name)
  return out
}

/**
 * `multiaddrs`: each address as uint16_be(length) || binary multiaddr. Per 31/WAKU2-ENR a trailing
 * `/p2p/<own id>` is dropped, and a circuit-relay address keeps its relay's `/p2p/<id>` but loses
 * the trailing `/p2p-circuit`, which `decodeWakuMultiaddrs` puts back.
 */
export function encodeWakuMultiaddrs(addresses: Iterable<string>): Uint8Array {
  const parts: Uint8Array[] = []
  for (const address of addresses) {
    let stored = address.replace(/\/p2p\/[^/]+$/, '')
    const circuit = stored.endsWith('/p2p-circuit')
    if (circuit) stored = stored.slice(0, -'/p2p-circuit'.length)
    else if (stored.includes('/p2p/'))
      throw new InvalidParametersError(`multiaddrs: "${address}" has a peer id but is not a circuit address`)
    const binary = multiaddrToBytes(stored)
    if (binary.length > 0xffff) throw new InvalidParametersError('multiaddrs: address too long')
    parts.push(Uint8Array.of(binary.length >> 8, binary.length & 0xff), binary)
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export function decodeWakuMultiaddrs(value: RlpValue): string[] {
  const bytes = asBytes(value, 'multiaddrs')
  const out: string[] = []
  for (let offset = 0; offset < bytes.length; ) {
    if (offset + 2 > bytes.length) throw new DecodeError('multiaddrs: truncated length')
    const length = (bytes[offset]! << 8) | bytes[offset + 1]!
    offset += 2
    if (offset + length > bytes.length) throw new DecodeError('multiaddrs: address runs past the field')
    const text = multiaddrFromBytes(bytes.subarray(offset, offset + length))
    offset += length
    const relayed = text.includes('/p2p/') && !text.endsWith('/p2p-circuit')
    out.push(relayed ? `${text}/p2p-circuit` : text)
  }
  return out
}

/** `rs`: uint16_be(cluster) || u8(count) || count × uint16_be(shard). */
export function encodeRs({ cluster, shards }: RelayShards): Uint8Array {
  checkShards(cluster, shards)
  if (shards.length > RS_MAX_SHARDS) throw new InvalidParametersError(`rs: ${shards.length} shards; use rsv`)
  const out = new Uint8Array(3 + 2 * shards.length)
  writeUint16(out, 0, cluster)
  out[2] = shards.length
  for (const [i, shard] of shards.entries()) writeUint16(out, 3 + 2 * i, shard)
  return out
}

export function decodeRs(value: RlpValue): RelayShards {
  const bytes = asBytes(value, 'rs')
  if (bytes.length < 3 || bytes.length !== 3 + 2 * bytes[2]!)
    throw new DecodeError(`rs: ${bytes.length} bytes do not match the shard count`)
  const shards = Array.from({ length: bytes[2]! }, (_, i) => readUint16(bytes, 3 + 2 * i))
  return checkedDecode('rs', readUint16(bytes, 0), shards)
}

/**
 * `rsv`: uint16_be(cluster) || 128-byte bit vector. Shard s is bit `s % 8` (LSB first) of byte
 * `2 + s / 8`, as nwaku and go-waku write it. The spec prose (right-most bit is shard 0) and
 * js-waku (MSB first) read it differently; deployed nwaku nodes decide.
 */
export function encodeRsv({ cluster, shards }: RelayShards): Uint8Array {
  checkShards(cluster, shards)
  const out = new Uint8Array(RSV_LENGTH)
  writeUint16(out, 0, cluster)
  for (const shard of shards) out[2 + (shard >> 3)]! |= 1 << (shard & 7)
  return out
}

export function decodeRsv(value: RlpValue): RelayShards {
  const bytes = asBytes(value, 'rsv')
  if (bytes.length !== RSV_LENGTH) throw new DecodeError(`rsv: ${bytes.length} bytes, want ${RSV_LENGTH}`)
  const shards: number[] = []
  for (let shard = 0; shard <= MAX_SHARD_INDEX; shard++)
    if ((bytes[2 + (shard >> 3)]! >> (shard & 7)) & 1) shards.push(shard)
  return { cluster: readUint16(bytes, 0), shards }
}

/** The entry to put in a record: `rs` below 64 shards, `rsv` from 64 on. */
export function shardsEntry(shards: RelayShards): ['rs' | 'rsv', Uint8Array] {
  return shards.shards.length > RS_MAX_SHARDS ? ['rsv', encodeRsv(shards)] : ['rs', encodeRs(shards)]
}

/** Waku fields of a record; each is absent when its key is. `rs` wins over `rsv`, as in nwaku. */
export function enrWakuFields(enr: EnrContent): {
  capabilities?: Set<Waku2Capability>
  multiaddrs?: string[]
  shards?: RelayShards
} {
  const waku2 = enr.entries.get('waku2')
  const multiaddrs = enr.entries.get('multiaddrs')
  const rs = enr.entries.get('rs')
  const rsv = enr.entries.get('rsv')
  const shards = rs !== undefined ? decodeRs(rs) : rsv !== undefined ? decodeRsv(rsv) : undefined
  return {
    ...(waku2 === undefined ? {} : { capabilities: decodeWaku2(waku2) }),
    ...(multiaddrs === undefined ? {} : { multiaddrs: decodeWakuMultiaddrs(multiaddrs) }),
    ...(shards === undefined ? {} : { shards }),
  }
}

function checkShards(cluster: number, shards: readonly number[]): void {
  if (!Number.isInteger(cluster) || cluster < 0 || cluster > 0xffff)
    throw new InvalidParametersError(`shards: cluster ${cluster} is not a uint16`)
  for (const shard of shards)
    if (!Number.isInteger(shard) || shard < 0 || shard > MAX_SHARD_INDEX)
      throw new InvalidParametersError(`shards: index ${shard} is outside 0..${MAX_SHARD_INDEX}`)
}

function checkedDecode(field: string, cluster: number, shards: number[]): RelayShards {
  for (const shard of shards)
    if (shard > MAX_SHARD_INDEX) throw new DecodeError(`${field}: shard ${shard} is above ${MAX_SHARD_INDEX}`)
  return { cluster, shards }
}

function writeUint16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value >> 8
  out[offset + 1] = value & 0xff
}

function readUint16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!
}

/**
 * The libp2p peer id (`16Uiu2HA…`) of a 33-byte compressed secp256k1 key, as Waku derives it from
 * an ENR: base58btc of the identity multihash of the protobuf PublicKey { Type: Secp256k1, Data }.
 */
export function libp2pPeerId(publicKey: Uint8Array): string {
  if (publicKey.length !== 33)
    throw new InvalidParametersError('libp2p peer id: want a 33-byte compressed key')
  const out = new Uint8Array(6 + 33)
  out.set([0x00, 0x25, 0x08, 0x02, 0x12, 0x21]) // identity multihash, 37 bytes: field 1 = 2, field 2 = 33 bytes
  out.set(publicKey, 6)
  return toBase58(out)
}
