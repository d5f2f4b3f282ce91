/**
 * @parley/secure-transport: the cryptographic core of Status's secure transport: X3DH on secp256k1,
 * signed prekey bundles, topic names and the Status Double Ratchet.
 */
export {
  type Bundle,
  bundleSignatureMaterial,
  decodeBundle,
  encodeBundle,
  PROTOCOL_VERSION,
  type SignBundleParams,
  type SignedPreKey,
  signBundle,
  verifyBundle,
} from './bundle.ts'
export { publicKeyMostRelevantBytes, publicKeyToAddress, publicKeyX } from './keys.ts'
export * from './ratchet/index.ts'
export {
  negotiatedTopicName,
  PARTITIONS,
  partitionedTopicName,
  partitionOf,
  topicFromName,
} from './topics.ts'
export { type X3dhInitiatorParams, type X3dhResponderParams, x3dhInitiator, x3dhResponder } from './x3dh.ts'
