/**
 * PeerExchangeRPC, hand-written on protocol-waku2's protobuf primitives, as nwaku encodes it:
 * `{ request = 1 { num_peers = 1 uint64 }, response = 2 { peer_infos = 1 repeated { enr = 1 bytes } },
 * response_status = 10 { status = 1 uint32, desc = 2 string } }`. waku-proto's v2alpha1 file has
 * only fields 1 and 2; nwaku added 10, and js-waku ignores it. Unknown fields are skipped.
 */
import { DecodeError } from '@parley/interfaces'
import { ProtobufReader, ProtobufWriter, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from '@parley/protocol-waku2'
import { PeerExchangeStatus } from './constants.ts'

export interface PeerExchangeResponseStatus {
  status: number
  desc?: string
}

export interface PeerExchangeRpc {
  request?: { numPeers: bigint }
  /** raw RLP records */
  response?: { enrs: Uint8Array[] }
  responseStatus?: PeerExchangeResponseStatus
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

export function encodePeerExchangeRpc(rpc: PeerExchangeRpc): Uint8Array {
  const writer = new ProtobufWriter()
  if (rpc.request !== undefined) {
    const request = new ProtobufWriter()
    request.varintField(1, rpc.request.numPeers)
    writer.bytesField(1, request.finish())
  }
  if (rpc.response !== undefined) {
    const response = new ProtobufWriter()
    for (const enr of rpc.response.enrs) {
      const info = new ProtobufWriter()
      info.bytesField(1, enr)
      response.bytesField(1, info.finish())
    }
    writer.bytesField(2, response.finish())
  }
  if (rpc.responseStatus !== undefined) {
    const status = new ProtobufWriter()
    status.varintField(1, BigInt(rpc.responseStatus.status))
    if (rpc.responseStatus.desc !== undefined) status.bytesField(2, utf8.encode(rpc.responseStatus.desc))
    writer.bytesField(10, status.finish())
  }
  return writer.finish()
}

/** Decodes any PeerExchangeRPC; malformed input throws `DecodeError`. */
export function decodePeerExchangeRpc(bytes: Uint8Array): PeerExchangeRpc {
  const reader = new ProtobufReader(bytes)
  const rpc: PeerExchangeRpc = {}
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED)
      rpc.request = decodeRequest(reader.lengthDelimited())
    else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) {
      // Repeated occurrences of an embedded message merge: their lists concatenate.
      const enrs = decodeResponse(reader.lengthDelimited())
      rpc.response = { enrs: [...(rpc.response?.enrs ?? []), ...enrs] }
    } else if (field === 10 && wireType === WIRE_LENGTH_DELIMITED)
      rpc.responseStatus = decodeStatus(reader.lengthDelimited())
    else reader.skip(wireType)
  }
  return rpc
}

/**
 * A request as nwaku's server reads it: a request field and no response; an absent `num_peers` is 0.
 * Anything else throws `DecodeError` (answered with BAD_REQUEST).
 */
export function decodePeerExchangeRequest(bytes: Uint8Array): { numPeers: bigint } {
  const rpc = decodePeerExchangeRpc(bytes)
  if (rpc.request !== undefined && rpc.response !== undefined)
    throw new DecodeError('peer exchange: request and response are exclusive')
  if (rpc.request === undefined) throw new DecodeError('peer exchange: the RPC has no request')
  return rpc.request
}

/**
 * A response as a client reads it: nwaku's status when present (an unknown code reads as UNKNOWN),
 * else SUCCESS when records came (js-waku and older nwaku send no status).
 */
export function decodePeerExchangeResponse(bytes: Uint8Array): {
  status: number
  desc?: string
  enrs: Uint8Array[]
} {
  const rpc = decodePeerExchangeRpc(bytes)
  if (rpc.request !== undefined) throw new DecodeError('peer exchange: expected a response, got a request')
  if (rpc.response === undefined && rpc.responseStatus === undefined)
    throw new DecodeError('peer exchange: the RPC has neither response nor status')
  const known = Object.values(PeerExchangeStatus) as number[]
  const raw = rpc.responseStatus?.status ?? PeerExchangeStatus.SUCCESS
  return {
    status: known.includes(raw) ? raw : PeerExchangeStatus.UNKNOWN,
    ...(rpc.responseStatus?.desc === undefined ? {} : { desc: rpc.responseStatus.desc }),
    enrs: rpc.response?.enrs ?? [],
  }
}

function decodeRequest(bytes: Uint8Array): { numPeers: bigint } {
  const reader = new ProtobufReader(bytes)
  let numPeers = 0n
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1 && wireType === WIRE_VARINT) numPeers = reader.varint()
    else reader.skip(wireType)
  }
  return { numPeers }
}

function decodeResponse(bytes: Uint8Array): Uint8Array[] {
  const reader = new ProtobufReader(bytes)
  const enrs: Uint8Array[] = []
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) enrs.push(decodePeerInfo(reader.lengthDelimited()))
    else reader.skip(wireType)
  }
  return enrs
}

function decodePeerInfo(bytes: Uint8Array): Uint8Array {
  const reader = new ProtobufReader(bytes)
  let enr: Uint8Array = new Uint8Array()
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) enr = reader.lengthDelimited()
    else reader.skip(wireType)
  }
  return enr
}

function decodeStatus(bytes: Uint8Array): PeerExchangeResponseStatus {
  const reader = new ProtobufReader(bytes)
  let status: number | undefined
  let desc: string | undefined
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1 && wireType === WIRE_VARINT) status = Number(BigInt.asUintN(32, reader.varint()))
    else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) {
      try {
        desc = fromUtf8.decode(reader.lengthDelimited())
      } catch (cause) {
        throw new DecodeError('peer exchange: status desc is not UTF-8', { cause })
      }
    } else reader.skip(wireType)
  }
  // nwaku refuses a status without its code.
  if (status === undefined) throw new DecodeError('peer exchange: response status has no code')
  return desc === undefined ? { status } : { status, desc }
}
