/**
 * Lightpush messages, hand-written over `@parley/protocol-waku2`'s checked protobuf primitives:
 * v3 `LightpushRequest`/`LightpushResponse` (waku-org/specs lightpush.md) and the legacy
 * `PushRpc` of 2.0.0-beta1 (waku-org/waku-proto waku/lightpush/v2beta1). The WakuMessage stays in
 * its serialized form, so the service relays exactly the bytes the client sent. Decoders throw
 * only `DecodeError`.
 */
import {
  expectWireType,
  ProtobufReader,
  ProtobufWriter,
  readBytesField,
  readStringField,
  readUint32Field,
  WIRE_VARINT,
  writeStringField,
} from '@parley/protocol-waku2'

const REQUEST = 'LightpushRequest'
const RESPONSE = 'LightpushResponse'
const PUSH_RPC = 'PushRpc'

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
  if (request.requestId !== '') writeStringField(writer, 1, request.requestId)
  if (request.pubsubTopic !== undefined) writeStringField(writer, 20, request.pubsubTopic)
  if (request.message !== undefined) writer.bytesField(21, request.message)
  return writer.finish()
}

export function decodeLightpushRequest(bytes: Uint8Array): LightpushRequest {
  const request: LightpushRequest = { requestId: '' }
  readFields(bytes, (reader, field, wireType) => {
    if (field === 1) request.requestId = readStringField(reader, REQUEST, field, wireType)
    else if (field === 20) request.pubsubTopic = readStringField(reader, REQUEST, field, wireType)
    else if (field === 21) request.message = readBytesField(reader, REQUEST, field, wireType)
    else reader.skip(wireType)
  })
  return request
}

export function encodeLightpushResponse(response: LightpushResponse): Uint8Array {
  const writer = new ProtobufWriter()
  if (response.requestId !== '') writeStringField(writer, 1, response.requestId)
  if (response.statusCode !== 0) writer.varintField(10, BigInt(response.statusCode))
  if (response.statusDesc !== undefined) writeStringField(writer, 11, response.statusDesc)
  if (response.relayPeerCount !== undefined) writer.varintField(12, BigInt(response.relayPeerCount))
  return writer.finish()
}

export function decodeLightpushResponse(bytes: Uint8Array): LightpushResponse {
  const response: LightpushResponse = { requestId: '', statusCode: 0 }
  readFields(bytes, (reader, field, wireType) => {
    if (field === 1) response.requestId = readStringField(reader, RESPONSE, field, wireType)
    else if (field === 10) response.statusCode = readUint32Field(reader, RESPONSE, field, wireType)
    else if (field === 11) response.statusDesc = readStringField(reader, RESPONSE, field, wireType)
    else if (field === 12) response.relayPeerCount = readUint32Field(reader, RESPONSE, field, wireType)
    else reader.skip(wireType)
  })
  return response
}

export function encodePushRpc(rpc: PushRpc): Uint8Array {
  const writer = new ProtobufWriter()
  if (rpc.requestId !== '') writeStringField(writer, 1, rpc.requestId)
  if (rpc.request !== undefined) {
    const request = new ProtobufWriter()
    if (rpc.request.pubsubTopic !== '') writeStringField(request, 1, rpc.request.pubsubTopic)
    if (rpc.request.message !== undefined) request.bytesField(2, rpc.request.message)
    writer.bytesField(2, request.finish())
  }
  if (rpc.response !== undefined) {
    const response = new ProtobufWriter()
    if (rpc.response.isSuccess) response.varintField(1, 1n)
    if (rpc.response.info !== undefined) writeStringField(response, 2, rpc.response.info)
    writer.bytesField(3, response.finish())
  }
  return writer.finish()
}

export function decodePushRpc(bytes: Uint8Array): PushRpc {
  const rpc: PushRpc = { requestId: '' }
  readFields(bytes, (reader, field, wireType) => {
    if (field === 1) rpc.requestId = readStringField(reader, PUSH_RPC, field, wireType)
    else if (field === 2) {
      // Protobuf merges a repeated embedded message; last-one-wins is enough for a request.
      const request: NonNullable<PushRpc['request']> = { pubsubTopic: '' }
      readFields(readBytesField(reader, PUSH_RPC, field, wireType), (inner, innerField, innerWire) => {
        if (innerField === 1) request.pubsubTopic = readStringField(inner, PUSH_RPC, innerField, innerWire)
        else if (innerField === 2) request.message = readBytesField(inner, PUSH_RPC, innerField, innerWire)
        else inner.skip(innerWire)
      })
      rpc.request = request
    } else if (field === 3) {
      const response: NonNullable<PushRpc['response']> = { isSuccess: false }
      readFields(readBytesField(reader, PUSH_RPC, field, wireType), (inner, innerField, innerWire) => {
        if (innerField === 1) {
          expectWireType(PUSH_RPC, innerField, innerWire, WIRE_VARINT)
          response.isSuccess = inner.varint() !== 0n
        } else if (innerField === 2) response.info = readStringField(inner, PUSH_RPC, innerField, innerWire)
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
