export type { HashProvider, ProviderKind, Secp256k1Provider } from '@parley/interfaces'
export { bytesToHex, concatBytes, equalBytes, hexToBytes, utf8ToBytes } from './bytes.ts'
export {
  ECIES_OVERHEAD,
  type EciesEncryptOptions,
  type EciesOptions,
  eciesDecrypt,
  eciesEncrypt,
} from './ecies.ts'
export { availableHashProviders, keccak256 } from './hash/index.ts'
export { createKeccak256, type Keccak256Stream } from './hash/stream.ts'
export { concatKdfSha256 } from './kdf.ts'
export { generatePrivateKey, nodeIdFromPublicKey, publicKeyFromNodeId } from './keys.ts'
export { type LoadCryptoOptions, loadCrypto, type ParleyCrypto } from './load.ts'
// Whisper/Waku proof of work: a separate module with its own WASM kernel and workers.
export * from './pow/index.ts'
export { randomBytes } from './random.ts'
export { availableSecp256k1Providers } from './secp256k1/select.ts'
export type { AesCtrStream, SymmetricBackend } from './symmetric/backend.ts'
export {
  aes256GcmDecrypt,
  aes256GcmEncrypt,
  aesCtr,
  createAesCtrStream,
  createAesEcbEncryptor,
  hkdfSha256,
  hmacSha256,
  pbkdf2Sha256,
  sha256,
  symmetricBackends,
  WHISPER_PBKDF2_ITERATIONS,
} from './symmetric/index.ts'
export { type KeyInput, SymmetricKey, symmetricKey } from './symmetric/key.ts'
