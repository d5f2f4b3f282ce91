/**
 * JSON as nwaku's REST API writes it: 64-bit integers (nanosecond timestamps) as exact number
 * literals, bytes as standard base64, and request bodies checked field by field.
 */
import { ParleyError, type WakuMessageFields } from '@parley/interfaces'

/** A request the API refuses with 400 and this message as the reason. */
export class BadRequestError extends ParleyError {
  static override readonly code = 'ERR_REST_BAD_REQUEST'
  constructor(message: string) {
    super(message, BadRequestError.code)
    this.name = 'BadRequestError'
  }
}

const BIGINT_MARK = '\u0000bigint:'

/** `JSON.stringify` that writes a bigint as its exact integer literal. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'bigint' ? `${BIGINT_MARK}${field}` : field,
  )
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1')
}

/**
 * Parses a body; integer literals beyond 2^53 become bigints (their source digits), so a
 * nanosecond timestamp survives. Throws `BadRequestError`.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
      if (typeof value !== 'number' || Number.isSafeInteger(value)) return value
      const source = context?.source
      return source !== undefined && /^-?\d+$/.test(source) ? BigInt(source) : value
    })
  } catch (error) {
    throw new BadRequestError(`body is not JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON array of strings, each at most `maxLength`; throws `BadRequestError`. */
export function stringArray(value: unknown, what: string, maxItems = 1000): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new BadRequestError(`${what} must be a JSON array of strings`)
  if (value.length > maxItems) throw new BadRequestError(`${what} has more than ${maxItems} entries`)
  return value as string[]
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const BASE64_URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Standard (or URL-safe) base64 to bytes, padding optional; throws `BadRequestError`. */
export function fromBase64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new BadRequestError(`${what} must be a base64 string`)
  const bare = text.replace(/=+$/, '')
  const standard = BASE64.test(text)
  if ((!standard && !BASE64_URL.test(text)) || bare.length % 4 === 1 || text.length - bare.length > 2)
    throw new BadRequestError(`${what} is not base64`)
  return new Uint8Array(Buffer.from(bare, standard ? 'base64' : 'base64url'))
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** A 32-byte hash as `0x…` hex or base64 (nwaku accepts both in store queries). */
export function parseHash(text: string, what: string): Uint8Array {
  const bytes = /^0x[0-9a-fA-F]*$/.test(text)
    ? new Uint8Array(Buffer.from(text.slice(2), 'hex'))
    : fromBase64(text, what)
  if (bytes.length !== 32) throw new BadRequestError(`${what} must be a 32-byte hash`)
  return bytes
}

export const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`

const UINT32_MAX = 0xffff_ffff
const INT64_MAX = (1n << 63n) - 1n

/** A WakuMessage from nwaku's JSON (`payload` and `meta` base64, `timestamp` ns); throws `BadRequestError`. */
export function messageFromJson(value: unknown, timestampDefault: bigint): WakuMessageFields {
  if (!isRecord(value)) throw new BadRequestError('the message must be a JSON object')
  const { payload, contentTopic, version, timestamp, meta, ephemeral } = value
  if (typeof contentTopic !== 'string' || contentTopic === '')
    throw new BadRequestError('contentTopic must be a non-empty string')
  if (
    version !== undefined &&
    !(Number.isInteger(version) && (version as number) >= 0 && (version as number) <= UINT32_MAX)
  )
    throw new BadRequestError('version must be an unsigned 32-bit integer')
  let stamp = timestampDefault
  if (timestamp !== undefined && timestamp !== null) {
    if (!(typeof timestamp === 'bigint' || Number.isInteger(timestamp)))
      throw new BadRequestError('timestamp must be an integer (Unix nanoseconds)')
    stamp = BigInt(timestamp as number | bigint)
    if (stamp < 0n || stamp > INT64_MAX) throw new BadRequestError('timestamp is out of range')
  }
  if (ephemeral !== undefined && typeof ephemeral !== 'boolean')
    throw new BadRequestError('ephemeral must be a boolean')
  return {
    payload: fromBase64(payload, 'payload'),
    contentTopic,
    timestamp: stamp,
    ...(version === undefined || version === 0 ? {} : { version: version as number }),
    ...(meta === undefined || meta === null ? {} : { meta: fromBase64(meta, 'meta') }),
    ...(ephemeral === true ? { ephemeral } : {}),
  }
}

/** nwaku's JSON for a WakuMessage. */
export function messageToJson(message: WakuMessageFields): Record<string, unknown> {
  return {
    payload: toBase64(message.payload),
    contentTopic: message.contentTopic,
    version: message.version ?? 0,
    timestamp: message.timestamp ?? 0n,
    ...(message.meta === undefined || message.meta.length === 0 ? {} : { meta: toBase64(message.meta) }),
    ephemeral: message.ephemeral ?? false,
  }
}
