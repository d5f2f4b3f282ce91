/**
 * 66/WAKU2-METADATA `WakuMetadataRequest` and `WakuMetadataResponse` (the same fields): `cluster_id = 1`
 * (optional uint32) and `shards = 2` (repeated uint32). Values above 32 bits are truncated, as
 * protobuf does for uint32.
 *
 * The deployed implementations disagree on `shards`: nwaku writes it packed and reads only packed;
 * js-waku 0.0.27 (protons) writes one varint per shard and cannot parse the packed form. Parley reads
 * both, writes packed by default, and answers a request in the form the request used.
 */
import { DecodeError } from '@parley/interfaces'
import {
  encodeVarint,
  ProtobufReader,
  ProtobufWriter,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '@parley/protocol-waku2'

export const METADATA_CODEC = '/vac/waku/metadata/1.0.0'
/** nwaku's `RpcResponseMaxBytes`, for requests and responses */
export const MAX_METADATA_SIZE = 1024

export interface WakuMetadata {
  clusterId?: number
  shards: number[]
}

export interface EncodeMetadataOptions {
  /** one length-delimited field (nwaku, default) or one varint field per shard (js-waku) */
  packed?: boolean
}

export function encodeWakuMetadata(metadata: WakuMetadata, options: EncodeMetadataOptions = {}): Uint8Array {
  const writer = new ProtobufWriter()
  if (metadata.clusterId !== undefined) writer.varintField(1, BigInt(metadata.clusterId))
  if (options.packed === false) {
    for (const shard of metadata.shards) writer.varintField(2, BigInt(shard))
  } else if (metadata.shards.length > 0) {
    const chunks = metadata.shards.map((shard) => encodeVarint(BigInt(shard)))
    const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0))
    let offset = 0
    for (const chunk of chunks) {
      body.set(chunk, offset)
      offset += chunk.length
    }
    writer.bytesField(2, body)
  }
  return writer.finish()
}

/** Decodes a request or response; malformed input throws `DecodeError`. */
export function decodeWakuMetadata(bytes: Uint8Array): WakuMetadata {
  return readWakuMetadata(bytes).metadata
}

/** As `decodeWakuMetadata`, and whether shards came unpacked (false also when there were none). */
export function readWakuMetadata(bytes: Uint8Array): { metadata: WakuMetadata; unpacked: boolean } {
  let unpacked = false
  if (bytes.length > MAX_METADATA_SIZE)
    throw new DecodeError(`metadata: ${bytes.length} bytes exceed ${MAX_METADATA_SIZE}`)
  const reader = new ProtobufReader(bytes)
  const metadata: WakuMetadata = { shards: [] }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1 && wireType === WIRE_VARINT) metadata.clusterId = uint32(reader.varint())
    else if (field === 2 && wireType === WIRE_VARINT) {
      metadata.shards.push(uint32(reader.varint()))
      unpacked = true
    } else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) {
      const packed = new ProtobufReader(reader.lengthDelimited())
      while (!packed.done) metadata.shards.push(uint32(packed.varint()))
    } else reader.skip(wireType)
  }
  return { metadata, unpacked }
}

function uint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value))
}
