/**
 * Legacy store v2beta4 messages (waku-org/waku-proto waku/store/v2beta4/store.proto): the HistoryRPC
 * envelope around a HistoryQuery or HistoryResponse, with the Index cursor. Same rules as the v3
 * codec: decoders throw only `DecodeError`, encoders write present fields in number order.
 */
import {
  decodeWakuMessage,
  encodeWakuMessage,
  ProtobufReader,
  ProtobufWriter,
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

/** The v2beta4 cursor: a message's position. nwaku compares senderTime, digest and pubsubTopic. */
export interface HistoryIndex {
  /** field 1: SHA-256(content_topic || payload) in nwaku (`computeDigest`) */
  digest: Uint8Array
  /** field 2, ns */
  receiverTime: bigint
  /** field 3, ns: the message timestamp */
  senderTime: bigint
  /** field 4 */
  pubsubTopic: string
}

export const PagingDirection = { backward: 0, forward: 1 } as const

export interface PagingInfo {
  /** field 1, uint64 */
  pageSize?: bigint
  /** field 2 */
  cursor?: HistoryIndex
  /** field 3: `PagingDirection`; other values are kept so the server can refuse them */
  direction?: number
}

export interface HistoryQuery {
  /** field 2 */
  pubsubTopic?: string
  /** field 3: repeated ContentFilter { content_topic = 1 } */
  contentTopics: string[]
  /** field 4 */
  pagingInfo?: PagingInfo
  /** field 5, ns */
  startTime?: bigint
  /** field 6, ns */
  endTime?: bigint
}

export interface HistoryResponse {
  /** field 2 */
  messages: WakuMessage[]
  /** field 3 */
  pagingInfo?: PagingInfo
  /** field 4: `HistoryError` */
  error: number
}

export interface HistoryRpc {
  /** field 1 */
  requestId: string
  /** field 2 */
  query?: HistoryQuery
  /** field 3 */
  response?: HistoryResponse
}

export function encodeHistoryRpc(rpc: HistoryRpc): Uint8Array {
  const writer = new ProtobufWriter()
  if (rpc.requestId !== '') writeStringField(writer, 1, rpc.requestId)
  if (rpc.query !== undefined) writer.bytesField(2, encodeQuery(rpc.query))
  if (rpc.response !== undefined) writer.bytesField(3, encodeResponse(rpc.response))
  return writer.finish()
}

export function decodeHistoryRpc(bytes: Uint8Array): HistoryRpc {
  const reader = new ProtobufReader(bytes)
  const rpc: HistoryRpc = { requestId: '' }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) rpc.requestId = readStringField(reader, 'HistoryRPC', field, wireType)
    else if (field === 2) rpc.query = decodeQuery(readBytesField(reader, 'HistoryRPC', field, wireType))
    else if (field === 3) rpc.response = decodeResponse(readBytesField(reader, 'HistoryRPC', field, wireType))
    else reader.skip(wireType)
  }
  return rpc
}

function encodeQuery(query: HistoryQuery): Uint8Array {
  const writer = new ProtobufWriter()
  if (query.pubsubTopic !== undefined) writeStringField(writer, 2, query.pubsubTopic)
  for (const topic of query.contentTopics) {
    const filter = new ProtobufWriter()
    if (topic !== '') writeStringField(filter, 1, topic)
    writer.bytesField(3, filter.finish())
  }
  if (query.pagingInfo !== undefined) writer.bytesField(4, encodePagingInfo(query.pagingInfo))
  if (query.startTime !== undefined) writeSint64Field(writer, 5, query.startTime)
  if (query.endTime !== undefined) writeSint64Field(writer, 6, query.endTime)
  return writer.finish()
}

function decodeQuery(bytes: Uint8Array): HistoryQuery {
  const reader = new ProtobufReader(bytes)
  const query: HistoryQuery = { contentTopics: [] }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 2) query.pubsubTopic = readStringField(reader, 'HistoryQuery', field, wireType)
    else if (field === 3)
      query.contentTopics.push(decodeContentFilter(readBytesField(reader, 'HistoryQuery', field, wireType)))
    else if (field === 4)
      query.pagingInfo = decodePagingInfo(readBytesField(reader, 'HistoryQuery', field, wireType))
    else if (field === 5) query.startTime = readSint64Field(reader, 'HistoryQuery', field, wireType)
    else if (field === 6) query.endTime = readSint64Field(reader, 'HistoryQuery', field, wireType)
    else reader.skip(wireType)
  }
  return query
}

function decodeContentFilter(bytes: Uint8Array): string {
  const reader = new ProtobufReader(bytes)
  let topic = ''
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) topic = readStringField(reader, 'ContentFilter', field, wireType)
    else reader.skip(wireType)
  }
  return topic
}

function encodeResponse(response: HistoryResponse): Uint8Array {
  const writer = new ProtobufWriter()
  for (const message of response.messages) writer.bytesField(2, encodeWakuMessage(message))
  if (response.pagingInfo !== undefined) writer.bytesField(3, encodePagingInfo(response.pagingInfo))
  if (response.error !== 0) writeUint64Field(writer, 4, BigInt(response.error))
  return writer.finish()
}

function decodeResponse(bytes: Uint8Array): HistoryResponse {
  const reader = new ProtobufReader(bytes)
  const response: HistoryResponse = { messages: [], error: 0 }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 2)
      response.messages.push(
        decodeWakuMessage(readBytesField(reader, 'HistoryResponse', field, wireType), {
          maxSize: MAX_RPC_SIZE,
        }),
      )
    else if (field === 3)
      response.pagingInfo = decodePagingInfo(readBytesField(reader, 'HistoryResponse', field, wireType))
    else if (field === 4) response.error = readUint32Field(reader, 'HistoryResponse', field, wireType)
    else reader.skip(wireType)
  }
  return response
}

function encodePagingInfo(info: PagingInfo): Uint8Array {
  const writer = new ProtobufWriter()
  if (info.pageSize !== undefined) writeUint64Field(writer, 1, info.pageSize)
  if (info.cursor !== undefined) writer.bytesField(2, encodeIndex(info.cursor))
  if (info.direction !== undefined) writeUint64Field(writer, 3, BigInt(info.direction))
  return writer.finish()
}

function decodePagingInfo(bytes: Uint8Array): PagingInfo {
  const reader = new ProtobufReader(bytes)
  const info: PagingInfo = {}
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) info.pageSize = readVarintField(reader, 'PagingInfo', field, wireType)
    else if (field === 2) info.cursor = decodeIndex(readBytesField(reader, 'PagingInfo', field, wireType))
    else if (field === 3) info.direction = readUint32Field(reader, 'PagingInfo', field, wireType)
    else reader.skip(wireType)
  }
  return info
}

function encodeIndex(index: HistoryIndex): Uint8Array {
  const writer = new ProtobufWriter()
  if (index.digest.length > 0) writer.bytesField(1, index.digest)
  if (index.receiverTime !== 0n) writeSint64Field(writer, 2, index.receiverTime)
  if (index.senderTime !== 0n) writeSint64Field(writer, 3, index.senderTime)
  if (index.pubsubTopic !== '') writeStringField(writer, 4, index.pubsubTopic)
  return writer.finish()
}

function decodeIndex(bytes: Uint8Array): HistoryIndex {
  const reader = new ProtobufReader(bytes)
  const index: HistoryIndex = { digest: new Uint8Array(0), receiverTime: 0n, senderTime: 0n, pubsubTopic: '' }
  while (!reader.done) {
    const { field, wireType } = reader.tag()
    if (field === 1) index.digest = readBytesField(reader, 'Index', field, wireType)
    else if (field === 2) index.receiverTime = readSint64Field(reader, 'Index', field, wireType)
    else if (field === 3) index.senderTime = readSint64Field(reader, 'Index', field, wireType)
    else if (field === 4) index.pubsubTopic = readStringField(reader, 'Index', field, wireType)
    else reader.skip(wireType)
  }
  return index
}
