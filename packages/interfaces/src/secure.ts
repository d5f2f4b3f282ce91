import type { AbortOptions } from './abort.ts'
import type { TypedEventTarget } from './events.ts'

/** How a message was protected: first contact (x3dh, or dh without a bundle), a session, a group key, or none. */
export type SecureMessageKind = 'x3dh' | 'double-ratchet' | 'dh' | 'hash-ratchet' | 'public'

export interface DecryptedMessage {
  plaintext: Uint8Array
  /** sender's compressed identity public key */
  sender: Uint8Array
  installationId?: string
  /** installation ids of the sender that bundles in this message added or updated */
  installations?: string[]
  kind?: SecureMessageKind
  /** for group (hash-ratchet) messages: the group, key id and message number */
  group?: { groupId: Uint8Array; keyId: Uint8Array; seqNo: number }
}

/** The 1:1 topic two identities agree on once both run sessions: a name, its 4-byte topic and key. */
export interface NegotiatedTopic {
  name: string
  topic: Uint8Array
  key: Uint8Array
}

/** What a secure transport announces. */
export interface SecureTransportEvents {
  /** our signed prekey was replaced; detail is the new encoded bundle, to publish (a contact code) */
  'bundle:refreshed': Uint8Array
}

/** Forward-secret 1:1 encryption (X3DH + Double Ratchet) producing `ProtocolMessage` bytes. */
export interface SecureTransport extends TypedEventTarget<SecureTransportEvents> {
  /** This installation's compressed identity public key (33 bytes). */
  readonly identity: Uint8Array
  readonly installationId: string
  /** The current signed bundle of this installation, encoded. */
  bundle(options?: AbortOptions): Promise<Uint8Array>
  /** Learns another identity's installations from its bundle; resolves with the installation ids that changed. */
  addBundle(bundle: Uint8Array, options?: AbortOptions): Promise<string[]>
  encrypt(recipient: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array>
  /** A `ProtocolMessage` carrying `plaintext` unencrypted (public chats) with our bundle attached. */
  encryptPublic(plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array>
  decrypt(sender: Uint8Array, message: Uint8Array, options?: AbortOptions): Promise<DecryptedMessage>
  /** The partitioned contact-discovery topic name of a public key (ours by default). */
  partitionedTopic(publicKey?: Uint8Array): string
  negotiatedTopic(peer: Uint8Array, options?: AbortOptions): Promise<NegotiatedTopic>
  /** Stores a group (hash-ratchet) key; resolves with its key id. */
  addGroupKey(
    key: { groupId: Uint8Array; timestamp: bigint; key: Uint8Array },
    options?: AbortOptions,
  ): Promise<Uint8Array>
  encryptGroup(keyId: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array>
}
