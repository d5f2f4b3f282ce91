/**
 * The secure transport service: status-go's encryption protocol (protocol/encryption/protocol.go)
 * over a `KeyValueStore`. Every operation runs alone (one queue), reads the sessions it needs from
 * the store and writes what it changed in one batch, so a restart loses nothing and a rejected
 * message changes nothing.
 */
import { randomUUID } from 'node:crypto'
import { equalBytes, loadCrypto } from '@parley/crypto'
import { symKeyFromPassword, topicFromName } from '@parley/envelope'
import {
  AbortError,
  type AbortOptions,
  InvalidParametersError,
  NotStartedError,
  type Secp256k1Provider,
  type SecureTransport,
  type Startable,
  TypedEventEmitter,
} from '@parley/interfaces'
import { type Bundle, decodeBundle, encodeBundle } from './bundle.ts'
import { BundleBook, newestFirst } from './bundle-book.ts'
import { rejectionReason } from './errors.ts'
import { GroupCipher, type GroupKey } from './hash-ratchet.ts'
import { compressedPublicKey } from './keys.ts'
import { type TransportMetrics, transportMetrics } from './metrics.ts'
import { type Built, EncryptionProtocol } from './protocol.ts'
import { SessionCipher } from './session-cipher.ts'
import { SessionStore, throwIfAborted } from './session-store.ts'
import { negotiatedTopicName, partitionedTopicName } from './topics.ts'
import {
  BUNDLE_REFRESH_INTERVAL_MS,
  type InstallationInfo,
  MAX_INSTALLATIONS,
  type NegotiatedTopic,
  type SecureMessage,
  type SecureTransportEvents,
  type SecureTransportOptions,
} from './transport-api.ts'

interface Running {
  secp: Secp256k1Provider
  installationId: string
  book: BundleBook
  groups: GroupCipher
  protocol: EncryptionProtocol
  timer: ReturnType<typeof setInterval>
}

export class StatusSecureTransport
  extends TypedEventEmitter<SecureTransportEvents>
  implements SecureTransport, Startable
{
  readonly #options: SecureTransportOptions
  readonly #store: SessionStore
  readonly #metrics: TransportMetrics | undefined
  #running: Running | undefined
  #queue: Promise<unknown> = Promise.resolve()
  #starting: Promise<void> | undefined

  constructor(options: SecureTransportOptions) {
    super()
    if (options.identityKey.length !== 32) throw new InvalidParametersError('identity key must be 32 bytes')
    for (const name of ['maxInstallations', 'bundleRefreshIntervalMs'] as const) {
      const value = options[name]
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
        throw new InvalidParametersError(`${name} must be a positive integer`)
    }
    this.#options = options
    this.#store = new SessionStore(options.store, options.keyPrefix ?? 'secure-transport/')
    this.#metrics = options.metrics === undefined ? undefined : transportMetrics(options.metrics)
  }

  /** Concurrent calls share one start. */
  async start(options?: AbortOptions): Promise<void> {
    if (this.#running !== undefined) return
    this.#starting ??= this.#start(options).finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #start(options?: AbortOptions): Promise<void> {
    throwIfAborted(options)
    // The store may have been written by someone else while we were stopped.
    this.#store.clearCache()
    const secp = this.#options.secp ?? (await loadCrypto()).secp256k1
    const stored = await this.#store.getInstallationId(options)
    const installationId = this.#options.installationId ?? stored ?? randomUUID()
    if (stored !== installationId) await this.#store.setInstallationId(installationId, options)
    const now = this.#options.now ?? Date.now
    const interval = this.#options.bundleRefreshIntervalMs ?? BUNDLE_REFRESH_INTERVAL_MS
    const book = new BundleBook({
      secp,
      store: this.#store,
      identityKey: this.#options.identityKey,
      installationId,
      refreshIntervalMs: interval,
      maxInstallations: this.#options.maxInstallations ?? MAX_INSTALLATIONS,
      now,
    })
    await book.currentPreKey(options)
    const { identityKey, limits } = this.#options
    const store = this.#store
    const groups = new GroupCipher(store)
    const cipher = new SessionCipher({ secp, store, book, groups, identityKey, limits })
    const protocol = new EncryptionProtocol({ store, book, cipher, groups, installationId })
    // Check hourly (or more often for short intervals) so a refreshed bundle is announced on time.
    const timer = setInterval(() => void this.refreshBundle().catch(() => {}), Math.min(interval, 3_600_000))
    timer.unref?.()
    this.#running = { secp, installationId, book, groups, protocol, timer }
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => {})
    if (this.#running === undefined) return
    clearInterval(this.#running.timer)
    this.#running = undefined
    await this.#queue.catch(() => {})
  }

  isStarted(): boolean {
    return this.#running !== undefined
  }

  #state(): Running {
    if (this.#running === undefined) throw new NotStartedError('secure transport is not started')
    return this.#running
  }

  /** Runs `task` after every earlier operation, so two messages never race on one session. */
  #exclusive<T>(options: AbortOptions | undefined, task: (running: Running) => Promise<T>): Promise<T> {
    const running = this.#state()
    const result = this.#queue.then(() => {
      throwIfAborted(options)
      return task(running)
    })
    this.#queue = result.catch(() => {})
    return result
  }

  get installationId(): string {
    return this.#state().installationId
  }

  /** Our compressed identity public key. */
  get identity(): Uint8Array {
    return this.#state().book.identity
  }

  #publicKey(key: Uint8Array): Uint8Array {
    return compressedPublicKey(this.#state().secp, key)
  }

  #announce(bundle: Bundle): void {
    this.#metrics?.bundleRefreshes.inc()
    this.safeDispatchEvent('bundle:refreshed', encodeBundle(bundle))
  }

  async bundle(options?: AbortOptions): Promise<Uint8Array> {
    return this.#exclusive(options, async (running) => {
      const { bundle, refreshed } = await running.protocol.signedBundle(options)
      if (refreshed) this.#announce(bundle)
      return encodeBundle(bundle)
    })
  }

  /** Replaces our signed prekey if it is due; resolves true (and emits `bundle:refreshed`) if it was. */
  async refreshBundle(options?: AbortOptions): Promise<boolean> {
    return this.#exclusive(options, async (running) => {
      const { bundle, refreshed } = await running.protocol.signedBundle(options)
      if (refreshed) this.#announce(bundle)
      return refreshed
    })
  }

  /** Learns a bundle (a contact code, say); `ForgedBundleError` if forged. Resolves with changed installation ids. */
  async addBundle(bundle: Uint8Array | Bundle, options?: AbortOptions): Promise<string[]> {
    return this.#exclusive(options, (running) =>
      running.book.addBundle(bundle instanceof Uint8Array ? decodeBundle(bundle) : bundle, options),
    )
  }

  /** Counts a built message and announces a prekey refresh it caused. */
  #sent(built: Built): Uint8Array {
    if (built.refreshedBundle !== undefined) this.#announce(built.refreshedBundle)
    this.#metrics?.messages.inc({ direction: 'out', kind: built.kind })
    return built.bytes
  }

  /** `ProtocolMessage` bytes for `recipient`'s installations (for ourselves: our paired ones). */
  async encrypt(recipient: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array> {
    const their = this.#publicKey(recipient)
    return this.#exclusive(options, async (running) =>
      this.#sent(await running.protocol.direct(their, plaintext, options)),
    )
  }

  /** The copy for our own other installations, or undefined when none is paired. */
  async encryptForOwnDevices(plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array | undefined> {
    const running = this.#state()
    const paired = await running.book.activeInstallations(running.book.identity, options)
    return paired.length === 0 ? undefined : this.encrypt(running.book.identity, plaintext, options)
  }

  /** An unencrypted `ProtocolMessage` (`public_message`) carrying our bundle. */
  async encryptPublic(plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array> {
    return this.#exclusive(options, async (running) =>
      this.#sent(await running.protocol.public(plaintext, options)),
    )
  }

  /** Stores a hash-ratchet group key (from the messenger's key exchange); resolves with its key id. */
  async addGroupKey(key: GroupKey, options?: AbortOptions): Promise<Uint8Array> {
    if (key.key.length !== 32) throw new InvalidParametersError('group key must be 32 bytes')
    return this.#exclusive(options, async (running) => {
      const batch = this.#store.batch()
      const keyId = await running.groups.addKey(key, batch, options)
      await batch.commit(options)
      return keyId
    })
  }

  /** A hash-ratchet `ProtocolMessage` under a stored group key (`UnknownGroupKeyError` if none). */
  async encryptGroup(keyId: Uint8Array, plaintext: Uint8Array, options?: AbortOptions): Promise<Uint8Array> {
    return this.#exclusive(options, async (running) =>
      this.#sent(await running.protocol.group(keyId, plaintext, options)),
    )
  }

  /**
   * Reads a `ProtocolMessage` from `sender` (the identity that signed its Waku payload). Rejections
   * are typed (see errors.ts) and counted by reason; they change no stored session.
   */
  async decrypt(sender: Uint8Array, message: Uint8Array, options?: AbortOptions): Promise<SecureMessage> {
    return this.#exclusive(options, async (running) => {
      try {
        const read = await running.protocol.read(this.#publicKey(sender), message, options)
        this.#metrics?.messages.inc({ direction: 'in', kind: read.kind })
        return read
      } catch (error) {
        if (!(error instanceof AbortError)) this.#metrics?.rejected.inc({ reason: rejectionReason(error) })
        throw error
      }
    })
  }

  /** The installations of `identity` we know (for ourselves: the other ones), newest first. */
  async installations(identity: Uint8Array, options?: AbortOptions): Promise<InstallationInfo[]> {
    const running = this.#state()
    const key = this.#publicKey(identity)
    const own = equalBytes(key, running.book.identity)
    return (await this.#store.installations(key, options))
      .filter((record) => !(own && record.installationId === running.installationId))
      .sort(newestFirst)
      .map(({ installationId, enabled, timestamp, version }) => ({
        installationId,
        enabled,
        timestamp,
        version,
      }))
  }

  /** Pairs one of our other installations (its bundle must be known); false if unknown. */
  async setPaired(installationId: string, paired: boolean, options?: AbortOptions): Promise<boolean> {
    return this.#exclusive(options, (running) => running.book.setPaired(installationId, paired, options))
  }

  /** `contact-discovery-<X mod 5000>` of `publicKey` (default: ours), where first messages go. */
  partitionedTopic(publicKey?: Uint8Array): string {
    const running = this.#state()
    const key = publicKey === undefined ? running.book.identity : this.#publicKey(publicKey)
    return partitionedTopicName(running.secp, key)
  }

  /** The 1:1 topic and key both sides derive from DH(IK_me, IK_them) (status-go sharedsecret). */
  async negotiatedTopic(peer: Uint8Array, options?: AbortOptions): Promise<NegotiatedTopic> {
    const running = this.#state()
    const name = negotiatedTopicName(running.secp, this.#options.identityKey, this.#publicKey(peer))
    return { name, topic: topicFromName(name), key: await symKeyFromPassword(name, options) }
  }
}
