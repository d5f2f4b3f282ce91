/**
 * WakuMessage protobuf codec, written by hand for exactly the 14/WAKU2-MESSAGE fields (see
 * waku-org/waku-proto waku/message/v1/message.proto). The decoder is strict: it throws only
 * `DecodeError`, skips unknown fields of every non-group wire type, rejects a known field sent with
 * the wrong wire type, and checks each length against the remaining input before copying.
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import {
  ProtobufReader,
  ProtobufWriter,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  zigzagDecode,
  zigzagEncode,
} from './protobuf.ts'
import { MAX_META_LENGTH, MAX_WAKU_MESSAGE_SIZE, type WakuMessage, WakuMessageField } from './types.ts'

const UINT32_MAX = 0xffff_ffff
const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

export interface DecodeWakuMessageOptions {
  /** Largest input accepted, in bytes. Default `MAX_WAKU_MESSAGE_SIZE` (150 KiB). */
  maxSize?: number
}

/** Serializes in field-number order; throws `InvalidParametersError` for values the wire cannot carry. */
export function encodeWakuMessage(message: WakuMessage): Uint8Array {
  const { payload, contentTopic, version, timestamp, meta, rateLimitProof, ephemeral } = message
  if (version !== undefined && !(Number.isInteger(version) && version >= 0 && version <= UINT32_MAX))
    throw new InvalidParametersError(`WakuMessage version must be a uint32, got ${version}`)
  if (timestamp !== undefined && (timestamp < INT64_MIN || timestamp > INT64_MAX))
    throw new InvalidParametersError(`WakuMessage timestamp must fit in int64, got ${timestamp}`)
  if (!contentTopic.isWellFormed())
    throw new InvalidParametersError('WakuMessage content topic has a lone UTF-16 surrogate')
  if (meta !== undefined && meta.length > MAX_META_LENGTH)
    throw new InvalidParametersError(
      `WakuMessage meta is ${meta.length} bytes; at most ${MAX_META_LENGTH} allowed`,
    )

  const writer = new ProtobufWriter()
  if (payload.length > 0) writer.bytesField(WakuMessageField.payload, payload)
  if (contentTopic.length > 0)
    writer.bytesField(WakuMessageField.contentTopic, utf8Encoder.encode(contentTopic))
  if (version !== undefined) writer.varintField(WakuMessageField.version, BigInt(version))
  if (timestamp !== undefined) writer.varintField(WakuMessageField.timestamp, zigzagEncode(timestamp))
  if (meta !== undefined) writer.bytesField(WakuMessageField.meta, meta)
  if (rateLimitProof !== undefined) writer.bytesField(WakuMessageField.rateLimitProof, rateLimitProof)
  if (ephemeral !== undefined) writer.varintField(WakuMessageField.ephemeral, ephemeral ? 1n : 0n)
  return writer.finish()
}

/**
 * Parses a serialized WakuMessage. Repeated scalar fields follow protobuf's last-one-wins rule.
 * Throws `DecodeError` (only) for malformed input, oversize input, invalid UTF-8 in the content
 * topic, a version above uint32, or `meta` longer than 64 bytes (nwaku rejects that on decode too).
 */
export function decodeWakuMessage(bytes: Uint8Array, options: DecodeWakuMessageOptions = {}): WakuMessage {
  const maxSize = options.maxSize ?? MAX_WAKU_MESSAGE_SIZE
  if (bytes.length > maxSize)
    throw new DecodeError(`WakuMessage of ${bytes.length} bytes exceeds the limit of ${maxSize}`)
  const reader = new ProtobufReader(bytes)
  let payload: Uint8Array = new Uint8Array(0)
  let contentTopic = ''
  const optional: {
    version?: number
    timestamp?: bigint
    meta?: Uint8Array
    rateLimitProof?: Uint8Array
    ephemeral?: boolean
  } = {}

  while (!reader.done) {
    const { field, wireType } = reader.tag()
    switch (field) {
      case WakuMessageField.payload:
        expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
        payload = reader.lengthDelimited()
        break
      case WakuMessageField.contentTopic:
        expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
        contentTopic = decodeUtf8(reader.lengthDelimited())
        break
      case WakuMessageField.version: {
        expectWireType(field, wireType, WIRE_VARINT)
        const version = reader.varint()
        if (version > BigInt(UINT32_MAX))
          throw new DecodeError(`WakuMessage version ${version} exceeds uint32`)
        optional.version = Number(version)
        break
      }
      case WakuMessageField.timestamp:
        expectWireType(field, wireType, WIRE_VARINT)
        optional.timestamp = zigzagDecode(reader.varint())
        break
      case WakuMessageField.meta:
        expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
        optional.meta = reader.lengthDelimited(MAX_META_LENGTH)
        break
      case WakuMessageField.rateLimitProof:
        expectWireType(field, wireType, WIRE_LENGTH_DELIMITED)
        optional.rateLimitProof = reader.lengthDelimited()
        break
      case WakuMessageField.ephemeral:
        expectWireType(field, wireType, WIRE_VARINT)
        // Protobuf bool: any non-zero varint is true.
        optional.ephemeral = reader.varint() !== 0n
        break
      default:
        reader.skip(wireType)
    }
  }
  return { payload, contentTopic, ...optional }
}

function expectWireType(field: number, actual: number, expected: number): void {
  if (actual !== expected)
    throw new DecodeError(`WakuMessage field ${field} has wire type ${actual}, expected ${expected}`)
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch (cause) {
    throw new DecodeError('WakuMessage content topic is not valid UTF-8', { cause })
  }
}
