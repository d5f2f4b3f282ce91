import { DecodeError } from '@parley/interfaces'
import type protobuf from 'protobufjs'

/**
 * Decodes `bytes` as `type` into a plain object (int64 as decimal strings, bytes as Uint8Array).
 * Anything protobufjs throws on malformed input becomes a DecodeError.
 */
export function decodePlain(type: protobuf.Type, bytes: Uint8Array, what: string): Record<string, unknown> {
  try {
    return type.toObject(type.decode(bytes), { longs: String })
  } catch (error) {
    throw new DecodeError(`${what}: malformed protobuf`, { cause: error })
  }
}

/** A uint64 field as protobufjs `toObject` returns it with `longs: String`. */
export function uint64Field(value: unknown): bigint {
  return typeof value === 'string' ? BigInt(value) : 0n
}

/** A bytes field as a plain Uint8Array (protobufjs hands out Node Buffers under Node). */
export function bytesField(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? Uint8Array.from(value) : new Uint8Array(0)
}

/** Encoder output as a plain, unshared Uint8Array (under Node protobufjs returns a pooled Buffer). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes)
}

export function stringField(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

export function numberField(value: unknown): number {
  return typeof value === 'number' ? value : 0
}
