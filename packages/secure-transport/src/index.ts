/**
 * @parley/secure-transport: Status's secure transport as status-go deploys it: X3DH on secp256k1,
 * signed prekey bundles, the Status Double Ratchet, the `ProtocolMessage` envelope, multi-device
 * sessions persisted in a `KeyValueStore`, and the `secureTransport` plugin.
 */
export {
  type Bundle,
  bundleFromProto,
  bundleSignatureMaterial,
  bundleToProto,
  type DecodedBundle,
  decodeBundle,
  encodeBundle,
  PROTOCOL_VERSION,
  type SignBundleParams,
  type SignedPreKey,
  signBundle,
  verifyBundle,
} from './bundle.ts'
export { BundleBook, type BundleBookOptions, INSTALLATION_TIMESTAMP_RESOLUTION_NS } from './bundle-book.ts'
export { type DhSealed, decryptWithDh, encryptWithDh } from './dh.ts'
export {
  ForgedBundleError,
  NoSessionError,
  NotForThisDeviceError,
  type RejectionReason,
  ReplayError,
  rejectionReason,
  TooManySkippedError,
  UnknownBundleError,
  UnknownGroupKeyError,
} from './errors.ts'
export {
  GroupCipher,
  type GroupKey,
  hashRatchetKeyId,
  hashRatchetStep,
  MAX_HASH_RATCHET_STEPS,
} from './hash-ratchet.ts'
export {
  compressedPublicKey,
  publicKeyMostRelevantBytes,
  publicKeyToAddress,
  publicKeyX,
} from './keys.ts'
export { type SecureTransportInit, secureTransport } from './plugin.ts'
export { type Built, EncryptionProtocol, type EncryptionProtocolOptions } from './protocol.ts'
export {
  type DHHeader,
  type DRHeader,
  decodeProtocolMessage,
  type EncryptedMessage,
  encodeProtocolMessage,
  type HRHeader,
  MAX_BUNDLES,
  MAX_ENCRYPTED_ENTRIES,
  NO_INSTALLATION_ID,
  type ProtocolMessage,
  type X3DHHeader,
} from './protocol-message.ts'
export * from './ratchet/index.ts'
export { type MessageKind, SessionCipher, type SessionCipherOptions } from './session-cipher.ts'
export {
  type GroupKeyRecord,
  type InstallationRecord,
  type OwnPreKey,
  type SessionRecord,
  SessionStore,
} from './session-store.ts'
export { SessionBatch } from './store-cache.ts'
export { GCM_NONCE_LENGTH, openSymmetric, sealSymmetric } from './symmetric.ts'
export {
  negotiatedTopicName,
  PARTITIONS,
  partitionedTopicName,
  partitionOf,
  topicFromName,
} from './topics.ts'
export { StatusSecureTransport } from './transport.ts'
export {
  BUNDLE_REFRESH_INTERVAL_MS,
  type InstallationInfo,
  MAX_INSTALLATIONS,
  type NegotiatedTopic,
  type SecureMessage,
  type SecureTransportEvents,
  type SecureTransportOptions,
} from './transport-api.ts'
export { type X3dhInitiatorParams, type X3dhResponderParams, x3dhInitiator, x3dhResponder } from './x3dh.ts'
