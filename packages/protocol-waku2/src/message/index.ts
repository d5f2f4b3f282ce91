export { type DecodeWakuMessageOptions, decodeWakuMessage, encodeWakuMessage } from './codec.ts'
export { computeMessageHash, relayMessageId } from './hash.ts'
export { MAX_META_LENGTH, MAX_WAKU_MESSAGE_SIZE, type WakuMessage, WakuMessageField } from './types.ts'
