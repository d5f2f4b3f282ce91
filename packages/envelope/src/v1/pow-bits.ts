/**
 * A pow requirement on the wire is go's `math.Float64bits(pow)`: the IEEE-754 binary64 bit pattern
 * as an unsigned RLP integer (0.2 → 3fc999999999999a, sent as 883fc999999999999a).
 */
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { type RlpValue, toBigInt } from '@parley/rlp'

const scratch = new DataView(new ArrayBuffer(8))

/** The float's bits as a uint64. Throws `InvalidParametersError` for NaN, ±Infinity or a negative pow. */
export function powToBits(pow: number): bigint {
  if (!Number.isFinite(pow) || pow < 0)
    throw new InvalidParametersError(`pow must be finite and >= 0, got ${pow}`)
  scratch.setFloat64(0, pow)
  return scratch.getBigUint64(0)
}

/**
 * A pow requirement from its RLP integer. Like go-ethereum's handshake and PoW-requirement handlers,
 * rejects (with `DecodeError`) NaN, ±Infinity and negative values.
 */
export function powFromRlp(value: RlpValue | undefined, what = 'pow requirement'): number {
  scratch.setBigUint64(0, toBigInt(value, 8, what))
  const pow = scratch.getFloat64(0)
  if (!Number.isFinite(pow) || pow < 0) throw new DecodeError(`${what} is not a valid pow: ${pow}`)
  return pow
}

/** go's rlp `bool`: exactly `80` (false) or `01` (true). */
export function boolFromRlp(value: RlpValue | undefined, what: string): boolean {
  const number = toBigInt(value, 1, what)
  if (number > 1n) throw new DecodeError(`${what} is not a boolean (${number})`)
  return number === 1n
}
