import type { AbortOptions } from './abort.ts'

export interface DecryptedMessage {
  plaintext: Uint8Array
  /** sender's compressed identity public key */
  sender: Uint8Array
  installationId?: string
}

/** Forward-secret 1:1 encryption (X3DH + Double Ratchet) producing `ProtocolMessage` bytes. */
export interface SecureTransport {
  /** The current signed bundle of this installation, encoded. */
  bundle(options?: AbortOptions): Promise<Uint8Array>
  encrypt(recipient: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array>
  decrypt(sender: Uint8Array, message: Uint8Array, options?: AbortOptions): Promise<DecryptedMessage>
}
