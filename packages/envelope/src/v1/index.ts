/** Whisper v6 / Waku v1: envelopes, topics, bloom filters and the capability packets. */
export {
  BLOOM_SIZE,
  bloomMatches,
  FULL_BLOOM,
  fullBloom,
  isFullBloom,
  mergeBlooms,
  topicToBloom,
} from './bloom.ts'
export {
  type DecodeP2PMessageOptions,
  decodeP2PMessage,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  encodeP2PMessages,
  encodeP2PRequest,
  encodeP2PRequestComplete,
} from './direct-packets.ts'
export {
  DEFAULT_MAX_ENVELOPES,
  type DecodeEnvelopeOptions,
  type DecodeEnvelopesOptions,
  decodeEnvelope,
  decodeEnvelopes,
  ENVELOPE_HEADER_LENGTH,
  type Envelope,
  encodeEnvelope,
  encodeEnvelopes,
  envelopeFromRlp,
  envelopeHash,
  envelopePow,
  envelopeSize,
  envelopeToRlp,
} from './envelope.ts'
export { powFromRlp, powToBits } from './pow-bits.ts'
export { type SealEnvelopeInput, type SealEnvelopeOptions, sealEnvelope } from './seal-envelope.ts'
export { assertTopic, bytesToTopic, hexToTopic, TOPIC_LENGTH, topicFromName, topicToHex } from './topic.ts'
export {
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_SYNC_ALLOWANCE,
  type EnvelopeRejection,
  type EnvelopeVerdict,
  type ValidateEnvelopeOptions,
  validateEnvelope,
} from './validate.ts'
export {
  decodeWakuStatus,
  encodeWakuStatus,
  MAX_TOPIC_INTEREST,
  type PeerInterest,
  peerInterest,
  type RateLimits,
  WAKU_MESSAGE_CODES,
  WAKU_PROTOCOL,
  WAKU_STATUS_DEFAULTS,
  WAKU_VERSION,
  WakuCode,
  WakuStatusKey,
  type WakuStatusOptions,
  withWakuDefaults,
} from './waku-packets.ts'
export {
  batchHash,
  decodeBatchAck,
  decodeBloomFilter,
  decodeMessageResponse,
  decodePowRequirement,
  decodeWhisperStatus,
  type EnvelopeError,
  EnvelopeErrorCode,
  encodeBatchAck,
  encodeBloomFilter,
  encodeMessageResponse,
  encodePowRequirement,
  encodeWhisperStatus,
  type MessageResponse,
  WHISPER_MESSAGE_CODES,
  WHISPER_PROTOCOL,
  WHISPER_VERSION,
  WhisperCode,
  type WhisperStatus,
} from './whisper-packets.ts'
