export { DEFAULT_MAX_DEPTH, type DecodeOptions, decode, decodePrefix, type RlpValue } from './decode.ts'
export { encode, fromUint, type RlpInput } from './encode.ts'
export { RlpDecodeError, type RlpErrorReason } from './errors.ts'
export { asBytes, asList, toBigInt, toNumber } from './values.ts'
