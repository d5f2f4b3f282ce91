/**
 * Encrypting to and decrypting from installations, as status-go encryptor.go `EncryptPayload` and
 * `DecryptPayload` do: a Double Ratchet session per (identity, installation, bundle id); X3DH from the
 * installation's bundle when no session exists; the X3DH header repeated until the peer replies; the
 * DH fallback when no bundle is known; hash-ratchet entries handed to the group cipher. Changed sessions are written in the caller's batch, so a
 * message that fails leaves every stored session as it was.
 *
 * Live `RatchetSession`s are kept between messages, each under the very `state` bytes it last
 * serialized to: a session record whose state is those bytes resumes it without parsing. A session
 * is taken out while a message uses it, so if that message's batch never commits, the stored (and
 * cached) record still holds the older bytes, finds no live session, and is restored from them.
 */
import { equalBytes, generatePrivateKey } from '@parley/crypto'
import { type AbortOptions, DecodeError, type Secp256k1Provider } from '@parley/interfaces'
import type { BundleBook } from './bundle-book.ts'
import { decryptWithDh, encryptWithDh } from './dh.ts'
import { NoSessionError, UnknownBundleError } from './errors.ts'
import type { GroupCipher } from './hash-ratchet.ts'
import { type EncryptedMessage, NO_INSTALLATION_ID } from './protocol-message.ts'
import { RatchetSession } from './ratchet/session.ts'
import type { RatchetLimits } from './ratchet/state.ts'
import type { InstallationRecord, SessionRecord, SessionStore } from './session-store.ts'
import type { SessionBatch } from './store-cache.ts'
import { x3dhInitiator, x3dhResponder } from './x3dh.ts'

export type MessageKind = 'x3dh' | 'double-ratchet' | 'dh' | 'hash-ratchet' | 'public'

export interface SessionCipherOptions {
  secp: Secp256k1Provider
  store: SessionStore
  book: BundleBook
  groups: GroupCipher
  identityKey: Uint8Array
  limits?: Partial<RatchetLimits>
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

function checkKey(secp: Secp256k1Provider, key: Uint8Array, what: string): void {
  if (key.length !== 33 || !secp.isValidPublicKey(key)) {
    throw new DecodeError(`${what} is not a compressed secp256k1 public key`)
  }
}

export class SessionCipher {
  readonly #options: SessionCipherOptions
  readonly #live = new WeakMap<Uint8Array, RatchetSession>()

  constructor(options: SessionCipherOptions) {
    this.#options = options
  }

  /** The session `state` was serialized from: the live one if we hold it (taken out), else restored. */
  #resume(state: Uint8Array): RatchetSession {
    const live = this.#live.get(state)
    if (live === undefined)
      return RatchetSession.restore(this.#options.secp, state, { limits: this.#options.limits })
    this.#live.delete(state)
    return live
  }

  /** Serializes `ratchet` and keeps it live under the bytes it serialized to. */
  #suspend(ratchet: RatchetSession): Uint8Array {
    const state = ratchet.serialize()
    this.#live.set(state, ratchet)
    return state
  }

  /** One entry per active installation of `recipient`, or a DH-fallback entry under `"none"`. */
  async encrypt(
    recipient: Uint8Array,
    plaintext: Uint8Array,
    batch: SessionBatch,
    options?: AbortOptions,
  ): Promise<{ entries: Map<string, EncryptedMessage>; kind: MessageKind }> {
    const { secp, book, store } = this.#options
    const entries = new Map<string, EncryptedMessage>()
    const installations = await book.activeInstallations(recipient, options)
    if (installations.length === 0) {
      const sealed = encryptWithDh(secp, recipient, plaintext)
      entries.set(NO_INSTALLATION_ID, { dh: sealed.header, payload: sealed.payload })
      return { entries, kind: 'dh' }
    }
    let kind: MessageKind = 'double-ratchet'
    for (const installation of installations) {
      const session = await this.#sendingSession(recipient, installation, options)
      const ratchet = this.#resume(session.state)
      const { header, ciphertext } = ratchet.encrypt(plaintext)
      const entry: EncryptedMessage = {
        dr: { key: header.dh, n: header.n, pn: header.pn, id: session.bundleId },
        payload: ciphertext,
      }
      if (session.ephemeralKey !== undefined) {
        entry.x3dh = { key: session.ephemeralKey, id: session.bundleId }
        kind = 'x3dh'
      }
      entries.set(installation.installationId, entry)
      store.putSession(batch, { ...session, state: this.#suspend(ratchet) })
    }
    return { entries, kind }
  }

  /** The session to send on: the unexpired one with the lowest shared key, else a new X3DH one. */
  async #sendingSession(
    identity: Uint8Array,
    installation: InstallationRecord,
    options?: AbortOptions,
  ): Promise<SessionRecord> {
    const { secp, store, identityKey, limits } = this.#options
    const usable = (await store.sessions(identity, installation.installationId, options))
      .filter((session) => !session.expired)
      .sort((a, b) => compareBytes(a.sharedKey, b.sharedKey))
    const existing = usable[0]
    if (existing !== undefined) return existing
    const ephemeralKey = generatePrivateKey()
    const sharedKey = x3dhInitiator(secp, {
      identityKey,
      ephemeralKey,
      theirIdentity: identity,
      theirSignedPreKey: installation.signedPreKey,
    })
    const ratchet = RatchetSession.initiator(
      secp,
      { sharedKey, theirSignedPreKey: installation.signedPreKey },
      { limits },
    )
    return {
      identity,
      installationId: installation.installationId,
      bundleId: installation.signedPreKey,
      sharedKey,
      ephemeralKey: secp.getPublicKey(ephemeralKey, true),
      expired: false,
      state: this.#suspend(ratchet),
    }
  }

  /** Decrypts the entry addressed to us; the session change goes into `batch`. */
  async decrypt(
    sender: Uint8Array,
    senderInstallation: string,
    entry: EncryptedMessage,
    batch: SessionBatch,
    options?: AbortOptions,
  ): Promise<{ plaintext: Uint8Array; kind: MessageKind }> {
    const { secp, store, identityKey } = this.#options
    if (entry.x3dh !== undefined || entry.dr !== undefined) {
      const sessions = await store.sessions(sender, senderInstallation, options)
      let session: SessionRecord | undefined
      if (entry.x3dh !== undefined)
        session = await this.#responderSession(sender, senderInstallation, entry, sessions, options)
      const dr = entry.dr
      if (dr === undefined) throw new DecodeError('X3DH header without a Double Ratchet header')
      session ??= sessions.find((candidate) => equalBytes(candidate.bundleId, dr.id))
      if (session === undefined) throw new NoSessionError('no Double Ratchet session for this bundle id')
      const ratchet = this.#resume(session.state)
      let plaintext: Uint8Array
      try {
        plaintext = ratchet.decrypt({ dh: dr.key, n: dr.n, pn: dr.pn }, entry.payload)
      } catch (error) {
        // A rejected message leaves the session as it was: keep it live under the same bytes.
        this.#live.set(session.state, ratchet)
        throw error
      }
      // The peer answered on this session: stop sending our X3DH header (RatchetInfoConfirmed).
      const { ephemeralKey: _confirmed, ...rest } = session
      store.putSession(batch, { ...rest, state: this.#suspend(ratchet) })
      return { plaintext, kind: entry.x3dh === undefined ? 'double-ratchet' : 'x3dh' }
    }
    if (entry.dh !== undefined) {
      return { plaintext: decryptWithDh(secp, identityKey, entry.dh, entry.payload), kind: 'dh' }
    }
    if (entry.hr !== undefined) {
      const plaintext = await this.#options.groups.decrypt(entry.hr, entry.payload, batch, options)
      return { plaintext, kind: 'hash-ratchet' }
    }
    throw new DecodeError('encrypted message carries no header')
  }

  /** Passive X3DH: the session an X3DH header starts (kept if we already hold the same one). */
  async #responderSession(
    sender: Uint8Array,
    senderInstallation: string,
    entry: EncryptedMessage,
    sessions: readonly SessionRecord[],
    options?: AbortOptions,
  ): Promise<SessionRecord> {
    const { secp, book, identityKey, limits } = this.#options
    const x3dh = entry.x3dh
    if (x3dh === undefined) throw new DecodeError('no X3DH header')
    checkKey(secp, x3dh.key, 'X3DH ephemeral key')
    const preKey = await book.ownPreKey(x3dh.id, options)
    if (preKey === undefined) throw new UnknownBundleError('X3DH header names a signed prekey we do not have')
    const sharedKey = x3dhResponder(secp, {
      identityKey,
      signedPreKey: preKey.privateKey,
      theirIdentity: sender,
      theirEphemeralKey: x3dh.key,
    })
    const existing = sessions.find((session) => equalBytes(session.bundleId, x3dh.id))
    if (existing !== undefined && equalBytes(existing.sharedKey, sharedKey)) return existing
    const ratchet = RatchetSession.responder(
      secp,
      { sharedKey, signedPreKey: { privateKey: preKey.privateKey, publicKey: preKey.publicKey } },
      { limits },
    )
    return {
      identity: sender,
      installationId: senderInstallation,
      bundleId: x3dh.id.slice(),
      sharedKey,
      expired: preKey.expired,
      state: this.#suspend(ratchet),
    }
  }
}
