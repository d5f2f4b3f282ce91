/**
 * 12/WAKU2-FILTER v2 messages (waku-org/waku-proto waku/filter/v2beta1/filter.proto), hand-written
 * over `@parley/protocol-waku2`'s checked protobuf primitives. Decoders throw only `DecodeError`,
 * skip unknown fields and reject a known field with the wrong wire type.
 */
import { DecodeError } from '@parley/interfaces'
import {
  decodeWakuMessage,
  expectWireType,
  ProtobufReader,
  ProtobufWriter,
  readStringField,
  readUint32Field,
  type WakuMessage,
  WIRE_LENGTH_DELIMITED,
  writeStringField,
} from '@parley/protocol-waku2'

const SUBSCRIBE_REQUEST = 'FilterSubscribeRequest'
const SUBSCRIBE_RESPONSE = 'FilterSubscribeResponse'
const PUSH = 'MessagePush'

export interface FilterSubscribeRequest {
  requestId: string
  /** `FilterSubscribeType` on the wire; a decoded request may carry any uint32. */
  filterSubscribeType: number
  pubsubTopic?: string
  contentTopics: string[]
}

export interface FilterSubscribeResponse {
  requestId: string
  statusCode: number
  statusDesc?: string
}

export interface MessagePush {
  wakuMessage: WakuMessage
  pubsubTopic?: string
}

export function encodeFilterSubscribeRequest(request: FilterSubscribeRequest): Uint8Array {
  const writer = new ProtobufWriter()
  if (request.requestId !== '') writeStringField(writer, 1, request.requestId)
  if (request.filterSubscribeType !== 0) writer.varintField(2, BigInt(request.filterSubscribeType))
  if (request.pubsubTopic !== undefined) writeStringField(writer, 10, request.pubsubTopic)
  for (const topic of request.contentTopics) writeStringField(writer, 11, topic)
  return writer.finish()
}

export function decodeFilterSubscribeRequest(bytes: Uint8Array): FilterSubscribeRequest {
  const reader = new ProtobufReader(bytes)
  const request: FilterSubscribeRequest = { requestId: '', filterSubscribeType: 0, contentTopics: [] }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) request.requestId = readStringField(reader, SUBSCRIBE_REQUEST, field, wireType)
    else if (field === 2)
      request.filterSubscribeType = readUint32Field(reader, SUBSCRIBE_REQUEST, field, wireType)
    else if (field === 10) request.pubsubTopic = readStringField(reader, SUBSCRIBE_REQUEST, field, wireType)
    else if (field === 11)
      request.contentTopics.push(readStringField(reader, SUBSCRIBE_REQUEST, field, wireType))
    else reader.skip(wireType)
  }
  return request
}

export function encodeFilterSubscribeResponse(response: FilterSubscribeResponse): Uint8Array {
  const writer = new ProtobufWriter()
  if (response.requestId !== '') writeStringField(writer, 1, response.requestId)
  if (response.statusCode !== 0) writer.varintField(10, BigInt(response.statusCode))
  if (response.statusDesc !== undefined) writeStringField(writer, 11, response.statusDesc)
  return writer.finish()
}

export function decodeFilterSubscribeResponse(bytes: Uint8Array): FilterSubscribeResponse {
  const reader = new ProtobufReader(bytes)
  const response: FilterSubscribeResponse = { requestId: '', statusCode: 0 }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) response.requestId = readStringField(reader, SUBSCRIBE_RESPONSE, field, wireType)
    else if (field === 10) response.statusCode = readUint32Field(reader, SUBSCRIBE_RESPONSE, field, wireType)
    else if (field === 11) response.statusDesc = readStringField(reader, SUBSCRIBE_RESPONSE, field, wireType)
    else reader.skip(wireType)
  }
  return response
}

/**
 * A push carries the WakuMessage as serialized bytes: the service forwards exactly what it relayed,
 * so the receiver's hash and the relay's are the same.
 */
export function encodeMessagePush(pubsubTopic: string, serializedWakuMessage: Uint8Array): Uint8Array {
  const writer = new ProtobufWriter()
  writer.bytesField(1, serializedWakuMessage)
  writeStringField(writer, 2, pubsubTopic)
  return writer.finish()
}

/** Throws `DecodeError` when the push has no WakuMessage or it does not decode. */
export function decodeMessagePush(bytes: Uint8Array, options: { maxMessageSize?: number } = {}): MessagePush {
  const reader = new ProtobufReader(bytes)
  let message: Uint8Array | undefined
  let pubsubTopic: string | undefined
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) {
      expectWireType(PUSH, field, wireType, WIRE_LENGTH_DELIMITED)
      message = reader.lengthDelimited()
    } else if (field === 2) pubsubTopic = readStringField(reader, PUSH, field, wireType)
    else reader.skip(wireType)
  }
  if (message === undefined) throw new DecodeError('MessagePush has no waku_message')
  const wakuMessage = decodeWakuMessage(message, { maxSize: options.maxMessageSize ?? bytes.length })
  return pubsubTopic === undefined ? { wakuMessage } : { wakuMessage, pubsubTopic }
}
