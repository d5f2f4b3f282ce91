/**
 * Positional parameter decoding with go-ethereum's messages (`invalid argument 0: …`,
 * `missing value for required argument 0`), so clients written against geth see the same text.
 */
import { hexToBytes } from '@parley/crypto'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { INVALID_PARAMS, JsonRpcError } from './jsonrpc.ts'

export function invalidParams(message: string): JsonRpcError {
  return new JsonRpcError(INVALID_PARAMS, message)
}

/** Checks the count: `required` params must be present, at most `max` in all. */
export function arity(params: readonly unknown[], required: number, max = required): void {
  if (params.length > max) throw invalidParams(`too many arguments, want at most ${max}`)
  for (let index = 0; index < required; index++) {
    if (params[index] === undefined || params[index] === null) {
      throw invalidParams(`missing value for required argument ${index}`)
    }
  }
}

function bad(index: number | string, why: string): JsonRpcError {
  return invalidParams(typeof index === 'number' ? `invalid argument ${index}: ${why}` : `${index}: ${why}`)
}

/** A `0x`-prefixed, even-length hex string (hexutil.Bytes). `at` names the argument or field. */
export function hexBytes(value: unknown, at: number | string): Uint8Array {
  if (typeof value !== 'string') throw bad(at, 'json: cannot unmarshal non-string into hex bytes')
  if (!/^0x/i.test(value)) throw bad(at, 'hex string without 0x prefix')
  const digits = value.slice(2)
  if (digits.length % 2 !== 0) throw bad(at, 'hex string of odd length')
  if (!/^[0-9a-f]*$/i.test(digits)) throw bad(at, 'invalid hex string')
  return hexToBytes(digits)
}

export function text(value: unknown, at: number | string): string {
  if (typeof value !== 'string') throw bad(at, `json: cannot unmarshal ${jsonType(value)} into string`)
  return value
}

export function float(value: unknown, at: number | string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw bad(at, `json: cannot unmarshal ${jsonType(value)} into float64`)
  }
  return value
}

export function uint32(value: unknown, at: number | string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw bad(at, `json: cannot unmarshal ${jsonType(value)} into uint32`)
  }
  return value
}

export function bool(value: unknown, at: number | string): boolean {
  if (typeof value !== 'boolean') throw bad(at, `json: cannot unmarshal ${jsonType(value)} into bool`)
  return value
}

/**
 * The node id (128 lowercase hex digits) of an enode URL, `enode://<id>[@host:port][?…]`, checked
 * to be a point on the curve. Bad URLs get go-ethereum's `enode.Parse` texts.
 */
export function enodeNodeId(value: unknown, at: number, secp256k1: Secp256k1Provider): string {
  const url = text(value, at)
  const match = /^enode:\/\/([^@?#/]*)/i.exec(url)
  if (match === null) throw new InvalidParametersError('invalid URL scheme, want "enode"')
  const id = (match[1] ?? '').toLowerCase()
  if (!/^[0-9a-f]{128}$/.test(id))
    throw new InvalidParametersError('invalid public key (wrong length, want 128 hex chars)')
  if (!secp256k1.isValidPublicKey(hexToBytes(`04${id}`)))
    throw new InvalidParametersError('invalid public key (invalid secp256k1 public key)')
  return id
}

/** A JSON object argument (NewMessage, Criteria). */
export function object(value: unknown, at: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(at, `json: cannot unmarshal ${jsonType(value)} into object`)
  }
  return value as Record<string, unknown>
}

/** `undefined` for an absent or null field, else `decode(value)`. */
export function optional<T>(value: unknown, decode: (value: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : decode(value)
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value === 'object' ? 'object' : typeof value
}
