export {
  deriveMessageKeys,
  encodeHeader,
  IV_LENGTH,
  kdfCk,
  kdfRk,
  type MessageKeys,
  openMessage,
  type RatchetHeader,
  type RootStep,
  sealMessage,
  TAG_LENGTH,
} from './kdf.ts'
export {
  type InitiatorParams,
  type RatchetMessage,
  type RatchetOptions,
  RatchetSession,
  type ResponderParams,
} from './session.ts'
export { type RatchetLimits, STATUS_LIMITS } from './state.ts'
