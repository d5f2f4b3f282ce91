/** 14/WAKU2-MESSAGE: the message every Waku v2 protocol carries. */

/**
 * A decoded WakuMessage. Optional fields are `undefined` when absent on the wire and are encoded
 * exactly when defined (proto3 `optional`: explicit presence), so a decoded message re-encodes to
 * the same fields it arrived with.
 */
export interface WakuMessage {
  /** Field 1. Empty is omitted on the wire (proto3 implicit presence). */
  readonly payload: Uint8Array
  /** Field 2, e.g. `/toychat/2/huilong/proto`. Empty is omitted on the wire. */
  readonly contentTopic: string
  /** Field 3, uint32. 0/absent: plaintext or app-encrypted; 1: 26/WAKU2-PAYLOAD; 2: noise. */
  readonly version?: number
  /** Field 10, sint64: Unix time in nanoseconds. */
  readonly timestamp?: bigint
  /** Field 11: application metadata, at most `MAX_META_LENGTH` bytes. Hashed into the message hash. */
  readonly meta?: Uint8Array
  /** Field 21: the 17/WAKU2-RLN-RELAY RateLimitProof, kept as its serialized bytes. */
  readonly rateLimitProof?: Uint8Array
  /** Field 31: true means stores must not keep the message. */
  readonly ephemeral?: boolean
}

/** Largest `meta` nwaku (`MaxMetaAttrLength`) and go-waku (`MaxMetaAttrLength`) accept. */
export const MAX_META_LENGTH = 64

/**
 * Largest serialized WakuMessage relayed on The Waku Network: 150 KiB (nwaku
 * `DefaultMaxWakuMessageSize`, go-waku `defaultMaxMsgSizeBytes`, 64/WAKU2-NETWORK). status-go's own
 * default is 1 MiB; pass `maxSize` to the decoder to accept more.
 */
export const MAX_WAKU_MESSAGE_SIZE = 150 * 1024

/** Protobuf field numbers of waku.message.v1.WakuMessage. */
export const WakuMessageField = {
  payload: 1,
  contentTopic: 2,
  version: 3,
  timestamp: 10,
  meta: 11,
  rateLimitProof: 21,
  ephemeral: 31,
} as const
