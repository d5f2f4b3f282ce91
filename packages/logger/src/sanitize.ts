import { isSecretField, REDACTED, redactText } from './redact.ts'
import { isSecret } from './secret.ts'

/** JSON-compatible data: what every logged value is turned into before it is printed. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain }

const MAX_DEPTH = 6
const MAX_ITEMS = 100
/** Byte arrays longer than this print their first bytes and their length (65-byte public keys print whole). */
const MAX_BYTES = 96
/** Few enough that a truncated buffer starting with a key does not reveal a useful part of it. */
const SHOWN_BYTES = 8

/**
 * Turns any value into plain JSON-compatible data with every secret replaced by `[redacted]`:
 * `secret()` values, fields named like secrets (at any depth), mnemonic-looking strings and key
 * literals in text. Bytes become hex, errors `{ name, message, code }`, cycles `[Circular]`.
 */
export function sanitize(value: unknown): Plain {
  return sanitizeValue(value, [])
}

function sanitizeValue(value: unknown, ancestors: object[]): Plain {
  switch (typeof value) {
    case 'string':
      return redactText(value)
    case 'number':
      return Number.isFinite(value) ? value : String(value)
    case 'boolean':
      return value
    case 'bigint':
      return value.toString()
    case 'undefined':
      return null
    case 'symbol':
      return value.toString()
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`
  }
  if (value === null) return null
  const object = value as object
  if (isSecret(object)) return REDACTED
  if (object instanceof Uint8Array) return bytesToHex(object)
  if (object instanceof ArrayBuffer) return bytesToHex(new Uint8Array(object))
  if (ArrayBuffer.isView(object))
    return bytesToHex(new Uint8Array(object.buffer, object.byteOffset, object.byteLength))
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString()
  if (ancestors.includes(object)) return '[Circular]'
  if (ancestors.length >= MAX_DEPTH) return Array.isArray(object) ? '[Array]' : '[Object]'
  const inner = [...ancestors, object]
  if (object instanceof Error) return sanitizeError(object, inner)
  if (Array.isArray(object) || object instanceof Set) return sanitizeList([...object], inner)
  if (object instanceof Map)
    return sanitizeEntries(
      [...object].map(([key, item]) => [String(key), item]),
      inner,
    )
  const toJSON = (object as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') return sanitizeValue(toJSON.call(object), inner)
  return sanitizeEntries(Object.entries(object), inner)
}

function sanitizeList(items: unknown[], ancestors: object[]): Plain[] {
  const result = items.slice(0, MAX_ITEMS).map((item) => sanitizeValue(item, ancestors))
  if (items.length > MAX_ITEMS) result.push(`…(${items.length - MAX_ITEMS} more)`)
  return result
}

function sanitizeEntries(entries: Array<[string, unknown]>, ancestors: object[]): { [key: string]: Plain } {
  const result: { [key: string]: Plain } = {}
  for (const [key, item] of entries) {
    if (item === undefined) continue
    result[key] = isSecretField(key, item) ? REDACTED : sanitizeValue(item, ancestors)
  }
  return result
}

function sanitizeError(error: Error, ancestors: object[]): { [key: string]: Plain } {
  const result: { [key: string]: Plain } = { name: error.name, message: redactText(error.message) }
  // Own fields such as `code`, `plugin`, `capability`; the stack is left out (it can be long and
  // repeats the message).
  const own = Object.entries(error).filter(([key]) => key !== 'stack' && key !== 'message' && key !== 'name')
  Object.assign(result, sanitizeEntries(own, ancestors))
  if (error.cause !== undefined) result.cause = sanitizeValue(error.cause, ancestors)
  return result
}

/** `0x`-prefixed hex; long arrays print their first bytes, then `…(N bytes)`. */
export function bytesToHex(bytes: Uint8Array): string {
  const shown = bytes.length > MAX_BYTES ? bytes.subarray(0, SHOWN_BYTES) : bytes
  let hex = '0x'
  for (const byte of shown) hex += byte.toString(16).padStart(2, '0')
  return shown === bytes ? hex : `${hex}…(${bytes.length} bytes)`
}

/** One-line rendering of sanitized data: strings as they are, anything else as compact JSON. */
export function renderPlain(value: Plain): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
