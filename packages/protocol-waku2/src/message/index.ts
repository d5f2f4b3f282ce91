export { nowNanoseconds } from './clock.ts'
export { type DecodeWakuMessageOptions, decodeWakuMessage, encodeWakuMessage } from './codec.ts'
export { computeMessageHash, relayMessageId } from './hash.ts'
export {
  encodeVarint,
  ProtobufReader,
  ProtobufWriter,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  zigzagDecode,
  zigzagEncode,
} from './protobuf.ts'
export { MAX_META_LENGTH, MAX_WAKU_MESSAGE_SIZE, type WakuMessage, WakuMessageField } from './types.ts'
