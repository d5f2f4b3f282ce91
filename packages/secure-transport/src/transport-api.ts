/** Options and result types of `StatusSecureTransport`. */
import type { DecryptedMessage, KeyValueStore, Metrics, Secp256k1Provider } from '@parley/interfaces'
import type { RatchetLimits } from './ratchet/state.ts'
import type { MessageKind } from './session-cipher.ts'

export const BUNDLE_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000
export const MAX_INSTALLATIONS = 3

export interface SecureTransportOptions {
  store: KeyValueStore
  /** secp256k1 identity private key (32 bytes) */
  identityKey: Uint8Array
  /** this device's id; default: the one stored, else a new UUID (then stored) */
  installationId?: string
  /** default: `(await loadCrypto()).secp256k1` at start */
  secp?: Secp256k1Provider
  /** replace our signed prekey when older than this (default 24 h, status-go BundleRefreshInterval) */
  bundleRefreshIntervalMs?: number
  /** installations per identity a message goes to (default 3, status-go MaxInstallations) */
  maxInstallations?: number
  /** Double Ratchet limits for new sessions (default status-go's: 1000 / 3000 / 2000) */
  limits?: Partial<RatchetLimits>
  /** prefix of every store key (default `secure-transport/`) */
  keyPrefix?: string
  /** ms since the epoch (default `Date.now`) */
  now?: () => number
  metrics?: Metrics
}

/** A decrypted message, and how it was protected. */
export interface SecureMessage extends DecryptedMessage {
  kind: MessageKind
  /** installation ids the message's bundles added or updated */
  installations: string[]
  /** for hash-ratchet messages: the group, key id and message number */
  group?: { groupId: Uint8Array; keyId: Uint8Array; seqNo: number }
}

export interface NegotiatedTopic {
  /** lowercase hex of DH(IK_me, IK_them) */
  name: string
  /** the 4-byte Waku v1 topic of the name */
  topic: Uint8Array
  /** the topic's symmetric key: PBKDF2 of the name, as status-go derives it */
  key: Uint8Array
}

/** What the transport announces: `@parley/interfaces`' events (`bundle:refreshed`). */
export type { SecureTransportEvents } from '@parley/interfaces'

export interface InstallationInfo {
  installationId: string
  /** others' installations are always enabled; ours once paired */
  enabled: boolean
  /** timestamp of the newest bundle that named it, ns */
  timestamp: bigint
  version: number
}
