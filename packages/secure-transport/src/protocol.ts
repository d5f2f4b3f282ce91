/**
 * Building and reading `ProtocolMessage`s, as status-go protocol/encryption/protocol.go does: every
 * direct and public message carries our freshly signed bundle; a received message's bundles are
 * learned before anything else; the entry for this installation (or `"none"`) is decrypted. Changes
 * are written in one batch only when the whole message succeeded.
 */
import { equalBytes } from '@parley/crypto'
import { type AbortOptions, InvalidParametersError } from '@parley/interfaces'
import type { Bundle } from './bundle.ts'
import type { BundleBook } from './bundle-book.ts'
import { NotForThisDeviceError } from './errors.ts'
import type { GroupCipher } from './hash-ratchet.ts'
import { decodeProtocolMessage, encodeProtocolMessage, NO_INSTALLATION_ID } from './protocol-message.ts'
import type { MessageKind, SessionCipher } from './session-cipher.ts'
import type { SessionStore } from './session-store.ts'
import type { SecureMessage } from './transport-api.ts'

export interface EncryptionProtocolOptions {
  store: SessionStore
  book: BundleBook
  cipher: SessionCipher
  groups: GroupCipher
  installationId: string
}

export interface Built {
  bytes: Uint8Array
  kind: MessageKind
  /** set when building it replaced our signed prekey */
  refreshedBundle?: Bundle
}

export class EncryptionProtocol {
  readonly #options: EncryptionProtocolOptions

  constructor(options: EncryptionProtocolOptions) {
    this.#options = options
  }

  /** Our bundle signed now, replacing the prekey first if it is due. */
  async signedBundle(options?: AbortOptions): Promise<{ bundle: Bundle; refreshed: boolean }> {
    const { refreshed } = await this.#options.book.currentPreKey(options)
    return { bundle: await this.#options.book.signedBundle(options), refreshed }
  }

  #refreshed(bundle: { bundle: Bundle; refreshed: boolean }): { refreshedBundle?: Bundle } {
    return bundle.refreshed ? { refreshedBundle: bundle.bundle } : {}
  }

  async direct(recipient: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Built> {
    const { store, cipher, installationId } = this.#options
    // The bundle first: a due prekey refresh marks sessions expired before we load them.
    const signed = await this.signedBundle(options)
    const batch = store.batch()
    const { entries, kind } = await cipher.encrypt(recipient, plaintext, batch, options)
    const bytes = encodeProtocolMessage({
      installationId,
      bundles: [signed.bundle],
      encryptedMessage: entries,
    })
    await batch.commit(options)
    return { bytes, kind, ...this.#refreshed(signed) }
  }

  async public(plaintext: Uint8Array, options?: AbortOptions): Promise<Built> {
    // proto3 drops empty bytes: an empty public message would arrive as no message at all.
    if (plaintext.length === 0) throw new InvalidParametersError('public message is empty')
    const signed = await this.signedBundle(options)
    const bytes = encodeProtocolMessage({
      installationId: this.#options.installationId,
      bundles: [signed.bundle],
      encryptedMessage: new Map(),
      publicMessage: plaintext,
    })
    return { bytes, kind: 'public', ...this.#refreshed(signed) }
  }

  /** A hash-ratchet message under `keyId`, addressed to `"none"` (every member reads it). */
  async group(keyId: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Built> {
    const { store, groups, installationId } = this.#options
    const batch = store.batch()
    const entry = await groups.encrypt(keyId, plaintext, batch, options)
    const encryptedMessage = new Map([[NO_INSTALLATION_ID, entry]])
    const bytes = encodeProtocolMessage({ installationId, bundles: [], encryptedMessage })
    await batch.commit(options)
    return { bytes, kind: 'hash-ratchet' }
  }

  async read(sender: Uint8Array, message: Uint8Array, options?: AbortOptions): Promise<SecureMessage> {
    const { store, book, cipher, installationId } = this.#options
    const decoded = decodeProtocolMessage(message)
    const installations: string[] = []
    for (const bundle of decoded.bundles) installations.push(...(await book.addBundle(bundle, options)))
    const base = { sender, installationId: decoded.installationId, installations }
    if (decoded.publicMessage !== undefined)
      return { ...base, plaintext: decoded.publicMessage, kind: 'public' }
    const entry =
      decoded.encryptedMessage.get(installationId) ?? decoded.encryptedMessage.get(NO_INSTALLATION_ID)
    if (entry === undefined) {
      const own = equalBytes(sender, book.identity)
      throw new NotForThisDeviceError(
        own
          ? 'message from our identity for other installations (not paired?)'
          : 'no message for this installation',
      )
    }
    const batch = store.batch()
    const { plaintext, kind } = await cipher.decrypt(sender, decoded.installationId, entry, batch, options)
    await batch.commit(options)
    const group =
      entry.hr && kind === 'hash-ratchet'
        ? { groupId: entry.hr.groupId, keyId: entry.hr.keyId, seqNo: entry.hr.seqNo }
        : undefined
    return { ...base, plaintext, kind, ...(group === undefined ? {} : { group }) }
  }
}
