/**
 * The version-1 payload codec shared by Whisper v6, Waku v1 and Waku v2 (WakuMessage version 1):
 * flags, little-endian size field, padding, recoverable signature, AES-256-GCM and ECIES.
 */
export { type AsymmetricOptions, decryptAsymmetric, encryptAsymmetric } from './asymmetric.ts'
export {
  AES_NONCE_LENGTH,
  AES_TAG_LENGTH,
  DEFAULT_MAX_LENGTH,
  type DecodeLimits,
  MAX_PAYLOAD_LENGTH,
  PADDING_BLOCK,
  SIGNATURE_FLAG,
  SIGNATURE_LENGTH,
  SIZE_FIELD_MASK,
  SYM_KEY_LENGTH,
} from './limits.ts'
export {
  automaticPaddingLength,
  type DecodedPayload,
  type DecodeOptions,
  decodePayload,
  type EncodeOptions,
  encodePayload,
  type PayloadMessage,
  sizeFieldLength,
} from './plaintext.ts'
export { type OpenOptions, open, type SealMessage, type SealOptions, seal } from './seal.ts'
export {
  assertSymKey,
  createSymKey,
  decryptSymmetric,
  type EncryptSymmetricOptions,
  encryptSymmetric,
  symKeyFromPassword,
} from './symmetric.ts'
export * from './v1/index.ts'
