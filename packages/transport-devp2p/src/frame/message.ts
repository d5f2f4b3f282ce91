/**
 * The content of one RLPx frame: `rlp(msg-id) || msg-data`. After both Hellos have been exchanged
 * with protocol version >= 5, msg-data is Snappy-compressed (EIP-706); the id never is.
 *
 * The id is an RLP integer, so ids from 128 on take two bytes (`81 80` for 128). Reading the
 * first byte as the id, as @ethereumjs/devp2p does, breaks every capability whose codes reach
 * past 127 - with shh/6 and waku/1 both shared, all of waku's.
 */
import { DecodeError, InvalidParametersError, LimitExceededError } from '@parley/interfaces'
import { decodePrefix, encode, toNumber } from '@parley/rlp'
import { MAX_SNAPPY_DECODED_LENGTH, snappyCompress, snappyDecompress } from '../snappy.ts'
import { MAX_FRAME_SIZE } from './codec.ts'

export interface RlpxMessage {
  /** absolute message id (base protocol 0x00..0x0f, capabilities from 0x10) */
  code: number
  /** msg-data, decompressed */
  data: Uint8Array
}

export interface MessageOptions {
  /** whether Snappy is on for this connection (both Hellos said version >= 5) */
  snappy: boolean
}

export function encodeMessage(code: number, data: Uint8Array, options: MessageOptions): Uint8Array {
  if (!Number.isSafeInteger(code) || code < 0) throw new InvalidParametersError(`invalid message id ${code}`)
  if (data.length > MAX_SNAPPY_DECODED_LENGTH)
    throw new LimitExceededError(`message of ${data.length} bytes exceeds ${MAX_SNAPPY_DECODED_LENGTH}`)
  const id = encode(code)
  const payload = options.snappy ? snappyCompress(data) : data
  if (id.length + payload.length > MAX_FRAME_SIZE)
    throw new LimitExceededError(`message of ${payload.length} bytes does not fit one frame`)
  const out = new Uint8Array(id.length + payload.length)
  out.set(id, 0)
  out.set(payload, id.length)
  return out
}

/** Throws `DecodeError` on a malformed id or Snappy block, `LimitExceededError` over 16 MiB. */
export function decodeMessage(frame: Uint8Array, options: MessageOptions): RlpxMessage {
  const { value, rest } = decodePrefix(frame, { maxDepth: 0 })
  const code = toNumber(value, 7, 'message id')
  if (!options.snappy) return { code, data: rest }
  if (rest.length === 0) throw new DecodeError('compressed message has no Snappy block')
  return { code, data: snappyDecompress(rest, { maxLength: MAX_SNAPPY_DECODED_LENGTH }) }
}
