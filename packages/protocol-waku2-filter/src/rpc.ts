/**
 * 12/WAKU2-FILTER v2 messages (waku-org/waku-proto waku/filter/v2beta1/filter.proto), hand-written
 * over `@parley/protocol-waku2`'s checked protobuf primitives. Decoders throw only `DecodeError`,
 * skip unknown fields and reject a known field with the wrong wire type.
 */
import { DecodeError } from '@parley/interfaces'
import {
  decodeWakuMessage,
  ProtobufReader,
  ProtobufWriter,
  type WakuMessage,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from '@parley/protocol-waku2'

const UINT32_MAX = 0xffff_ffff
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

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
  if (request.requestId !== '') writer.bytesField(1, utf8Encoder.encode(request.requestId))
  if (request.filterSubscribeType !== 0) writer.varintField(2, BigInt(request.filterSubscribeType))
  if (request.pubsubTopic !== undefined) writer.bytesField(10, utf8Encoder.encode(request.pubsubTopic))
  for (const topic of request.contentTopics) writer.bytesField(11, utf8Encoder.encode(topic))
  return writer.finish()
}

export function decodeFilterSubscribeRequest(bytes: Uint8Array): FilterSubscribeRequest {
  const reader = new ProtobufReader(bytes)
  const request: FilterSubscribeRequest = { requestId: '', filterSubscribeType: 0, contentTopics: [] }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) request.requestId = readString(reader, field, wireType)
    else if (field === 2) request.filterSubscribeType = readUint32(reader, field, wireType)
    else if (field === 10) request.pubsubTopic = readString(reader, field, wireType)
    else if (field === 11) request.contentTopics.push(readString(reader, field, wireType))
    else reader.skip(wireType)
  }
  return request
}

export function encodeFilterSubscribeResponse(response: FilterSubscribeResponse): Uint8Array {
  const writer = new ProtobufWriter()
  if (response.requestId !== '') writer.bytesField(1, utf8Encoder.encode(response.requestId))
  if (response.statusCode !== 0) writer.varintField(10, BigInt(response.statusCode))
  if (response.statusDesc !== undefined) writer.bytesField(11, utf8Encoder.encode(response.statusDesc))
  return writer.finish()
}

export function decodeFilterSubscribeResponse(bytes: Uint8Array): FilterSubscribeResponse {
  const reader = new ProtobufReader(bytes)
  const response: FilterSubscribeResponse = { requestId: '', statusCode: 0 }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) response.requestId = readString(reader, field, wireType)
    else if (field === 10) response.statusCode = readUint32(reader, field, wireType)
    else if (field === 11) response.statusDesc = readString(reader, field, wireType)
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
  writer.bytesField(2, utf8Encoder.encode(pubsubTopic))
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
      expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
      message = reader.lengthDelimited()
    } else if (field === 2) pubsubTopic = readString(reader, field, wireType)
    else reader.skip(wireType)
  }
  if (message === undefined) throw new DecodeError('MessagePush has no waku_message')
  const wakuMessage = decodeWakuMessage(message, { maxSize: options.maxMessageSize ?? bytes.length })
  return pubsubTopic === undefined ? { wakuMessage } : { wakuMessage, pubsubTopic }
}

function readString(reader: ProtobufReader, field: number, wireType: number): string {
  expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
  try {
    return utf8Decoder.decode(reader.lengthDelimited())
  } catch (cause) {
    if (cause instanceof DecodeError) throw cause
    throw new DecodeError(`filter field ${field} is not valid UTF-8`, { cause })
  }
}

function readUint32(reader: ProtobufReader, field: number, wireType: number): number {
  expectWireType(field, wireType, WIRE_VARINT)
  const value = reader.varint()
  if (value > BigInt(UINT32_MAX)) throw new DecodeError(`filter field ${field} exceeds uint32`)
  return Number(value)
}

function expectWireType(field: number, actual: number, expected: number): void {
  if (actual !== expected)
    throw new DecodeError(`filter field ${field} has wire type ${actual}, expected ${expected}`)
}
