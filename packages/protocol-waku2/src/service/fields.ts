/**
 * Helpers the store codecs share on top of `@parley/protocol-waku2`'s protobuf reader and writer:
 * wire-type checks, strict UTF-8 and range-checked integers. Everything throws `DecodeError` only.
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import {
  type ProtobufReader,
  type ProtobufWriter,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  zigzagDecode,
  zigzagEncode,
} from '@parley/protocol-waku2'

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()
const UINT32_MAX = 0xffff_ffffn

export function expectWireType(message: string, field: number, actual: number, expected: number): void {
  if (actual !== expected)
    throw new DecodeError(`${message} field ${field} has wire type ${actual}, expected ${expected}`)
}

/** A length-delimited field, checked. */
export function readBytes(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): Uint8Array {
  expectWireType(message, field, wireType, WIRE_LENGTH_DELIMITED)
  return reader.lengthDelimited()
}

export function readString(reader: ProtobufReader, message: string, field: number, wireType: number): string {
  const bytes = readBytes(reader, message, field, wireType)
  try {
    return utf8Decoder.decode(bytes)
  } catch (cause) {
    throw new DecodeError(`${message} field ${field} is not valid UTF-8`, { cause })
  }
}

export function readVarint(reader: ProtobufReader, message: string, field: number, wireType: number): bigint {
  expectWireType(message, field, wireType, WIRE_VARINT)
  return reader.varint()
}

export function readSint64(reader: ProtobufReader, message: string, field: number, wireType: number): bigint {
  return zigzagDecode(readVarint(reader, message, field, wireType))
}

export function readUint32(reader: ProtobufReader, message: string, field: number, wireType: number): number {
  const value = readVarint(reader, message, field, wireType)
  if (value > UINT32_MAX) throw new DecodeError(`${message} field ${field} exceeds uint32: ${value}`)
  return Number(value)
}

export function readBool(reader: ProtobufReader, message: string, field: number, wireType: number): boolean {
  // Protobuf bool: any non-zero varint is true.
  return readVarint(reader, message, field, wireType) !== 0n
}

export function writeString(writer: ProtobufWriter, field: number, value: string): void {
  writer.bytesField(field, utf8Encoder.encode(value))
}

const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n
const UINT64_MAX = (1n << 64n) - 1n

/** Throws `InvalidParametersError` when `value` does not fit in an int64 (timestamps, ns). */
export function writeSint64(writer: ProtobufWriter, field: number, value: bigint): void {
  if (value < INT64_MIN || value > INT64_MAX)
    throw new InvalidParametersError(`field ${field} must fit in int64, got ${value}`)
  writer.varintField(field, zigzagEncode(value))
}

/** Throws `InvalidParametersError` when `value` does not fit in a uint64. */
export function writeUint64(writer: ProtobufWriter, field: number, value: bigint): void {
  if (value < 0n || value > UINT64_MAX)
    throw new InvalidParametersError(`field ${field} must fit in uint64, got ${value}`)
  writer.varintField(field, value)
}
