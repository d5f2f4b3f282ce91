import type { RlpValue } from './decode.ts'
import { RlpDecodeError } from './errors.ts'

/** The byte string in `value`; a list is an `expected-bytes` error. `what` names it in the message. */
export function asBytes(value: RlpValue | undefined, what = 'value'): Uint8Array {
  if (value instanceof Uint8Array) return value
  throw new RlpDecodeError('expected-bytes', `${what} must be a byte string`)
}

/** The list in `value`; a byte string is an `expected-list` error. */
export function asList(value: RlpValue | undefined, what = 'value'): RlpValue[] {
  if (Array.isArray(value)) return value
  throw new RlpDecodeError('expected-list', `${what} must be a list`)
}

/**
 * A canonical unsigned integer of at most `maxBytes` bytes, as go-ethereum decodes one: no leading
 * zero bytes (so 0 is only the empty string).
 */
export function toBigInt(value: RlpValue | undefined, maxBytes = 32, what = 'integer'): bigint {
  const bytes = checkedUint(value, maxBytes, what)
  let result = 0n
  for (const byte of bytes) result = (result << 8n) | BigInt(byte)
  return result
}

/** Like `toBigInt`, as a `number`; rejects anything above `Number.MAX_SAFE_INTEGER`. */
export function toNumber(value: RlpValue | undefined, maxBytes = 7, what = 'integer'): number {
  const bytes = checkedUint(value, Math.min(maxBytes, 7), what)
  let result = 0
  for (const byte of bytes) result = result * 256 + byte
  if (!Number.isSafeInteger(result))
    throw new RlpDecodeError('integer-too-large', `${what} is larger than a safe integer`)
  return result
}

function checkedUint(value: RlpValue | undefined, maxBytes: number, what: string): Uint8Array {
  const bytes = asBytes(value, what)
  if (bytes.length > maxBytes)
    throw new RlpDecodeError('integer-too-large', `${what} has ${bytes.length} bytes, at most ${maxBytes}`)
  if (bytes[0] === 0) throw new RlpDecodeError('non-canonical-integer', `${what} has a leading zero byte`)
  return bytes
}
