/**
 * Lightpush messages, hand-written over `@parley/protocol-waku2`'s checked protobuf primitives:
 * v3 `LightpushRequest`/`LightpushResponse` (waku-org/specs lightpush.md) and the legacy
 * `PushRpc` of 2.0.0-beta1 (waku-org/waku-proto waku/lightpush/v2beta1). The WakuMessage stays in
 * its serialized form, so the service relays exactly the bytes the client sent. Decoders throw
 * only `DecodeError`.
 */
import { DecodeError } from '@parley/interfaces'
import { ProtobufReader, ProtobufWriter, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from '@parley/protocol-waku2'

const UINT32_MAX = 0xffff_ffff
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

export interface LightpushRequest {
  requestId: string
  pubsubTopic?: string
  /** the serialized WakuMessage; absent on the wire means absent here */
  message?: Uint8Array
}

export interface LightpushResponse {
  requestId: string
  statusCode: number
  statusDesc?: string
  relayPeerCount?: number
}

/** 2.0.0-beta1: one envelope for both directions. */
export interface PushRpc {
  requestId: string
  request?: { pubsubTopic: string; message?: Uint8Array }
  response?: { isSuccess: boolean; info?: string }
}

export function encodeLightpushRequest(request: LightpushRequest): Uint8Array {
  const writer = new ProtobufWriter()
  stringField(writer, 1, request.requestId)
  if (request.pubsubTopic !== undefined) writer.bytesField(20, utf8Encoder.encode(request.pubsubTopic))
  if (request.message !== undefined) writer.bytesField(21, request.message)
  return writer.finish()
}

export function decodeLightpushRequest(bytes: Uint8Array): LightpushRequest {
  const request: LightpushRequest = { requestId: '' }
  readFields(bytes, (reader, field, wireType) => {
    if (field === 1) request.requestId = readString(reader, field, wireType)
    else if (field === 20) request.pubsubTopic = readString(reader, field, wireType)
    else if (field === 21) request.message = readBytes(reader, field, wireType)
    else reader.skip(wireType)
  })
  return request
}

export function encodeLightpushResponse(response: LightpushResponse): Uint8Array {
  const writer = new ProtobufWriter()
  stringField(writer, 1, response.requestId)
  if (response.statusCode !== 0) writer.varintField(10, BigInt(response.statusCode))
  if (response.statusDesc !== undefined) writer.bytesField(11, utf8Encoder.encode(response.statusDesc))
  if (response.relayPeerCount !== undefined) writer.varintField(12, BigInt(response.relayPeerCount))
  return writer.finish()
}

export function decodeLightpushResponse(bytes: Uint8Array): LightpushResponse {
  const response: LightpushResponse = { requestId: '', statusCode: 0 }
  readFields(bytes, (reader, field, wireType) => {
    if (field === 1) response.requestId = readString(reader, field, wireType)
    else if (field === 10) response.statusCode = readUint32(reader, field, wireType)
    else if (field === 11) response.statusDesc = readString(reader, field, wireType)
    else if (field === 12) response.relayPeerCount = readUint32(reader, field, wireType)
    else reader.skip(wireType)
  })
  return response
}

export function encodePushRpc(rpc: PushRpc): Uint8Array {
  const writer = new ProtobufWriter()
  stringField(writer, 1, rpc.requestId)
  if (rpc.request !== undefined) {
    const request = new ProtobufWriter()
    stringField(request, 1, rpc.request.pubsubTopic)
    if (rpc.request.message !== undefined) request.bytesField(2, rpc.request.message)
    writer.bytesField(2, request.finish())
  }
  if (rpc.response !== undefined) {
    const response = new ProtobufWriter()
    if (rpc.response.isSuccess) response.varintField(1, 1n)
    if (rpc.response.info !== undefined) response.bytesField(2, utf8Encoder.encode(rpc.response.info))
    writer.bytesField(3, response.finish())
  }
  return writer.finish()
}

export function decodePushRpc(bytes: Uint8Array): PushRpc {
  const rpc: PushRpc = { requestId: '' }
  readFields(bytes, (reader, field, wireType) => {
    if (field === 1) rpc.requestId = readString(reader, field, wireType)
    else if (field === 2) {
      // Protobuf merges a repeated embedded message; last-one-wins is enough for a request.
      const request: NonNullable<PushRpc['request']> = { pubsubTopic: '' }
      readFields(readBytes(reader, field, wireType), (inner, innerField, innerWire) => {
        if (innerField === 1) request.pubsubTopic = readString(inner, innerField, innerWire)
        else if (innerField === 2) request.message = readBytes(inner, innerField, innerWire)
        else inner.skip(innerWire)
      })
      rpc.request = request
    } else if (field === 3) {
      const response: NonNullable<PushRpc['response']> = { isSuccess: false }
      readFields(readBytes(reader, field, wireType), (inner, innerField, innerWire) => {
        if (innerField === 1) {
          expectWireType(innerField, innerWire, WIRE_VARINT)
          response.isSuccess = inner.varint() !== 0n
        } else if (innerField === 2) response.info = readString(inner, innerField, innerWire)
        else inner.skip(innerWire)
      })
      rpc.response = response
    } else reader.skip(wireType)
  })
  return rpc
}

function readFields(
  bytes: Uint8Array,
  onField: (reader: ProtobufReader, field: number, wireType: number) => void,
): void {
  const reader = new ProtobufReader(bytes)
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    onField(reader, field, wireType)
  }
}

function stringField(writer: ProtobufWriter, field: number, value: string): void {
  if (value !== '') writer.bytesField(field, utf8Encoder.encode(value))
}

function readBytes(reader: ProtobufReader, field: number, wireType: number): Uint8Array {
  expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
  return reader.lengthDelimited()
}

function readString(reader: ProtobufReader, field: number, wireType: number): string {
  const bytes = readBytes(reader, field, wireType)
  try {
    return utf8Decoder.decode(bytes)
  } catch (cause) {
    throw new DecodeError(`lightpush field ${field} is not valid UTF-8`, { cause })
  }
}

function readUint32(reader: ProtobufReader, field: number, wireType: number): number {
  expectWireType(field, wireType, WIRE_VARINT)
  const value = reader.varint()
  if (value > BigInt(UINT32_MAX)) throw new DecodeError(`lightpush field ${field} exceeds uint32`)
  return Number(value)
}

function expectWireType(field: number, actual: number, expected: number): void {
  if (actual !== expected)
    throw new DecodeError(`lightpush field ${field} has wire type ${actual}, expected ${expected}`)
}
