/**
 * Field readers and writers the service codecs (store, filter, lightpush) share on top of the
 * protobuf reader and writer: wire-type checks, strict UTF-8 and range-checked integers. `message`
 * names the protobuf message in errors. Readers throw `DecodeError` only; writers throw
 * `InvalidParametersError` for a value out of range.
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import {
  type ProtobufReader,
  type ProtobufWriter,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  zigzagDecode,
  zigzagEncode,
} from '../message/protobuf.ts'

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()
const UINT32_MAX = 0xffff_ffffn

export function expectWireType(message: string, field: number, actual: number, expected: number): void {
  if (actual !== expected)
    throw new DecodeError(`${message} field ${field} has wire type ${actual}, expected ${expected}`)
}

/** A length-delimited field, checked. */
export function readBytesField(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): Uint8Array {
  expectWireType(message, field, wireType, WIRE_LENGTH_DELIMITED)
  return reader.lengthDelimited()
}

export function readStringField(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): string {
  const bytes = readBytesField(reader, message, field, wireType)
  try {
    return utf8Decoder.decode(bytes)
  } catch (cause) {
    throw new DecodeError(`${message} field ${field} is not valid UTF-8`, { cause })
  }
}

export function readVarintField(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): bigint {
  expectWireType(message, field, wireType, WIRE_VARINT)
  return reader.varint()
}

export function readSint64Field(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): bigint {
  return zigzagDecode(readVarintField(reader, message, field, wireType))
}

export function readUint32Field(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): number {
  const value = readVarintField(reader, message, field, wireType)
  if (value > UINT32_MAX) throw new DecodeError(`${message} field ${field} exceeds uint32: ${value}`)
  return Number(value)
}

export function readBoolField(
  reader: ProtobufReader,
  message: string,
  field: number,
  wireType: number,
): boolean {
  // Protobuf bool: any non-zero varint is true.
  return readVarintField(reader, message, field, wireType) !== 0n
}

export function writeStringField(writer: ProtobufWriter, field: number, value: string): void {
  writer.bytesField(field, utf8Encoder.encode(value))
}

const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n
const UINT64_MAX = (1n << 64n) - 1n

/** Throws `InvalidParametersError` when `value` does not fit in an int64 (timestamps, ns). */
export function writeSint64Field(writer: ProtobufWriter, field: number, value: bigint): void {
  if (value < INT64_MIN || value > INT64_MAX)
    throw new InvalidParametersError(`field ${field} must fit in int64, got ${value}`)
  writer.varintField(field, zigzagEncode(value))
}

/** Throws `InvalidParametersError` when `value` does not fit in a uint64. */
export function writeUint64Field(writer: ProtobufWriter, field: number, value: bigint): void {
  if (value < 0n || value > UINT64_MAX)
    throw new InvalidParametersError(`field ${field} must fit in uint64, got ${value}`)
  writer.varintField(field, value)
}
