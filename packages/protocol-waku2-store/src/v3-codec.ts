/**
 * Store v3 messages (waku-org/waku-proto waku/store/v3/store.proto), hand-written like the
 * WakuMessage codec: strict decoders that throw only `DecodeError`, skip unknown fields and check
 * every length first; encoders that write fields in number order and only when present.
 */
import {
  decodeWakuMessage,
  encodeWakuMessage,
  ProtobufReader,
  ProtobufWriter,
  readBoolField,
  readBytesField,
  readSint64Field,
  readStringField,
  readUint32Field,
  readVarintField,
  type WakuMessage,
  writeSint64Field,
  writeStringField,
  writeUint64Field,
} from '@parley/protocol-waku2'
import { MAX_RPC_SIZE } from './constants.ts'

export interface StoreQueryRequest {
  /** field 1 */
  requestId: string
  /** field 2: false (the default) asks for hashes only */
  includeData: boolean
  /** field 10 */
  pubsubTopic?: string
  /** field 11 */
  contentTopics: string[]
  /** field 12, ns */
  timeStart?: bigint
  /** field 13, ns */
  timeEnd?: bigint
  /** field 20 */
  messageHashes: Uint8Array[]
  /** field 51: the hash of the message the page continues from */
  paginationCursor?: Uint8Array
  /** field 52: false (the default) pages newest first */
  paginationForward: boolean
  /** field 53, uint64 */
  paginationLimit?: bigint
}

export interface WakuMessageKeyValue {
  /** field 1 */
  messageHash: Uint8Array
  /** field 2, present when the request set `include_data` */
  message?: WakuMessage
  /** field 3 */
  pubsubTopic?: string
}

export interface StoreQueryResponse {
  /** field 1 */
  requestId: string
  /** field 10 */
  statusCode?: number
  /** field 11 */
  statusDesc?: string
  /** field 20, oldest first whatever the direction */
  messages: WakuMessageKeyValue[]
  /** field 51: absent when there are no more pages */
  paginationCursor?: Uint8Array
}

const REQUEST = 'StoreQueryRequest'
const RESPONSE = 'StoreQueryResponse'
const KEY_VALUE = 'WakuMessageKeyValue'

export function encodeStoreQueryRequest(request: StoreQueryRequest): Uint8Array {
  const writer = new ProtobufWriter()
  if (request.requestId !== '') writeStringField(writer, 1, request.requestId)
  if (request.includeData) writer.varintField(2, 1n)
  if (request.pubsubTopic !== undefined) writeStringField(writer, 10, request.pubsubTopic)
  for (const topic of request.contentTopics) writeStringField(writer, 11, topic)
  if (request.timeStart !== undefined) writeSint64Field(writer, 12, request.timeStart)
  if (request.timeEnd !== undefined) writeSint64Field(writer, 13, request.timeEnd)
  for (const hash of request.messageHashes) writer.bytesField(20, hash)
  if (request.paginationCursor !== undefined) writer.bytesField(51, request.paginationCursor)
  if (request.paginationForward) writer.varintField(52, 1n)
  if (request.paginationLimit !== undefined) writeUint64Field(writer, 53, request.paginationLimit)
  return writer.finish()
}

export function decodeStoreQueryRequest(bytes: Uint8Array): StoreQueryRequest {
  const reader = new ProtobufReader(bytes)
  const request: StoreQueryRequest = {
    requestId: '',
    includeData: false,
    contentTopics: [],
    messageHashes: [],
    paginationForward: false,
  }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    switch (field) {
      case 1:
        request.requestId = readStringField(reader, REQUEST, field, wireType)
        break
      case 2:
        request.includeData = readBoolField(reader, REQUEST, field, wireType)
        break
      case 10:
        request.pubsubTopic = readStringField(reader, REQUEST, field, wireType)
        break
      case 11:
        request.contentTopics.push(readStringField(reader, REQUEST, field, wireType))
        break
      case 12:
        request.timeStart = readSint64Field(reader, REQUEST, field, wireType)
        break
      case 13:
        request.timeEnd = readSint64Field(reader, REQUEST, field, wireType)
        break
      case 20:
        request.messageHashes.push(readBytesField(reader, REQUEST, field, wireType))
        break
      case 51:
        request.paginationCursor = readBytesField(reader, REQUEST, field, wireType)
        break
      case 52:
        request.paginationForward = readBoolField(reader, REQUEST, field, wireType)
        break
      case 53:
        request.paginationLimit = readVarintField(reader, REQUEST, field, wireType)
        break
      default:
        reader.skip(wireType)
    }
  }
  return request
}

export function encodeStoreQueryResponse(response: StoreQueryResponse): Uint8Array {
  const writer = new ProtobufWriter()
  if (response.requestId !== '') writeStringField(writer, 1, response.requestId)
  if (response.statusCode !== undefined) writeUint64Field(writer, 10, BigInt(response.statusCode))
  if (response.statusDesc !== undefined) writeStringField(writer, 11, response.statusDesc)
  for (const entry of response.messages) writer.bytesField(20, encodeKeyValue(entry))
  if (response.paginationCursor !== undefined) writer.bytesField(51, response.paginationCursor)
  return writer.finish()
}

export function decodeStoreQueryResponse(bytes: Uint8Array): StoreQueryResponse {
  const reader = new ProtobufReader(bytes)
  const response: StoreQueryResponse = { requestId: '', messages: [] }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    switch (field) {
      case 1:
        response.requestId = readStringField(reader, RESPONSE, field, wireType)
        break
      case 10:
        response.statusCode = readUint32Field(reader, RESPONSE, field, wireType)
        break
      case 11:
        response.statusDesc = readStringField(reader, RESPONSE, field, wireType)
        break
      case 20:
        response.messages.push(decodeKeyValue(readBytesField(reader, RESPONSE, field, wireType)))
        break
      case 51:
        response.paginationCursor = readBytesField(reader, RESPONSE, field, wireType)
        break
      default:
        reader.skip(wireType)
    }
  }
  return response
}

function encodeKeyValue(entry: WakuMessageKeyValue): Uint8Array {
  const writer = new ProtobufWriter()
  writer.bytesField(1, entry.messageHash)
  if (entry.message !== undefined) writer.bytesField(2, encodeWakuMessage(entry.message))
  if (entry.pubsubTopic !== undefined) writeStringField(writer, 3, entry.pubsubTopic)
  return writer.finish()
}

function decodeKeyValue(bytes: Uint8Array): WakuMessageKeyValue {
  const reader = new ProtobufReader(bytes)
  const entry: WakuMessageKeyValue = { messageHash: new Uint8Array(0) }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    switch (field) {
      case 1:
        entry.messageHash = readBytesField(reader, KEY_VALUE, field, wireType)
        break
      case 2:
        // A response frame may carry several maximal messages; each one may be as large as the frame.
        entry.message = decodeWakuMessage(readBytesField(reader, KEY_VALUE, field, wireType), {
          maxSize: MAX_RPC_SIZE,
        })
        break
      case 3:
        entry.pubsubTopic = readStringField(reader, KEY_VALUE, field, wireType)
        break
      default:
        reader.skip(wireType)
    }
  }
  return entry
}
