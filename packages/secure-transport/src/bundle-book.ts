/**
 * Our signed prekeys and the bundles we learn (status-go encryptor.go `CreateBundle`,
 * `ProcessPublicBundle`, and protocol/encryption/multidevice). Our bundle holds the current signed
 * prekey of this installation plus those of our paired installations, and is re-signed with the
 * current time whenever it is handed out. A prekey older than the refresh interval is replaced and
 * the sessions started from it stop being used for sending; so do sessions started from a peer's
 * prekey once a newer bundle replaces it.
 */
import { equalBytes, generatePrivateKey } from '@parley/crypto'
import type { AbortOptions, Secp256k1Provider } from '@parley/interfaces'
import { type Bundle, PROTOCOL_VERSION, type SignedPreKey, signBundle, verifyBundle } from './bundle.ts'
import type { InstallationRecord, OwnPreKey, SessionStore } from './session-store.ts'

/**
 * Every message carries its sender's bundle, signed with the current time. A bundle that differs
 * from the stored one only by a timestamp less than this much later is not written again (the
 * timestamp only orders installations by when they were last seen), so a message costs no write.
 */
export const INSTALLATION_TIMESTAMP_RESOLUTION_NS = 60_000_000_000n

export interface BundleBookOptions {
  secp: Secp256k1Provider
  store: SessionStore
  identityKey: Uint8Array
  installationId: string
  refreshIntervalMs: number
  maxInstallations: number
  /** ms since the epoch */
  now: () => number
}

export class BundleBook {
  readonly #options: BundleBookOptions
  readonly identity: Uint8Array

  constructor(options: BundleBookOptions) {
    this.#options = options
    this.identity = options.secp.getPublicKey(options.identityKey, true)
  }

  /** The current signed prekey, replacing it first when it is older than the refresh interval. */
  async currentPreKey(options?: AbortOptions): Promise<{ preKey: OwnPreKey; refreshed: boolean }> {
    const { secp, store, now, refreshIntervalMs } = this.#options
    const all = await store.ownPreKeys(options)
    const live = all.filter((key) => !key.expired).sort((a, b) => b.createdAt - a.createdAt)
    const current = live[0]
    if (current !== undefined && now() - current.createdAt < refreshIntervalMs) {
      return { preKey: current, refreshed: false }
    }
    const privateKey = generatePrivateKey()
    const preKey: OwnPreKey = {
      privateKey,
      publicKey: secp.getPublicKey(privateKey, true),
      version: Math.max(0, ...all.map((key) => key.version)) + 1,
      createdAt: now(),
      expired: false,
    }
    const batch = store.batch()
    for (const old of live) store.putOwnPreKey(batch, { ...old, expired: true })
    store.putOwnPreKey(batch, preKey)
    // Sessions a peer started from an old prekey still decrypt, but we stop sending on them.
    for (const session of await store.allSessions(options)) {
      if (!session.expired && live.some((old) => equalBytes(old.publicKey, session.bundleId))) {
        store.putSession(batch, { ...session, expired: true })
      }
    }
    await batch.commit(options)
    return { preKey, refreshed: current !== undefined }
  }

  /** One of our signed prekeys, expired ones included (peers may still use them). */
  async ownPreKey(publicKey: Uint8Array, options?: AbortOptions): Promise<OwnPreKey | undefined> {
    const all = await this.#options.store.ownPreKeys(options)
    return all.find((key) => equalBytes(key.publicKey, publicKey))
  }

  /** Our bundle, signed now: this installation's prekey and our paired installations'. */
  async signedBundle(options?: AbortOptions): Promise<Bundle> {
    const { secp, identityKey, installationId, now } = this.#options
    const { preKey } = await this.currentPreKey(options)
    const signedPreKeys = new Map<string, SignedPreKey>()
    for (const other of await this.activeInstallations(this.identity, options)) {
      signedPreKeys.set(other.installationId, {
        signedPreKey: other.signedPreKey,
        version: other.version,
        protocolVersion: other.protocolVersion,
      })
    }
    signedPreKeys.set(installationId, {
      signedPreKey: preKey.publicKey,
      version: preKey.version,
      protocolVersion: PROTOCOL_VERSION,
    })
    const timestamp = BigInt(now()) * 1_000_000n
    return signBundle(secp, { identityKey, identity: this.identity, signedPreKeys, timestamp })
  }

  /**
   * Verifies a bundle (`ForgedBundleError` if forged) and keeps, per installation, the newest
   * prekey. Our own installations are stored disabled until paired. Returns the installation ids
   * that were new or changed.
   */
  async addBundle(bundle: Bundle, options?: AbortOptions): Promise<string[]> {
    const { secp, store, installationId: ownInstallation } = this.#options
    verifyBundle(secp, bundle)
    const identity = secp.convertPublicKey(bundle.identity, true)
    const own = equalBytes(identity, this.identity)
    const known = new Map((await store.installations(identity, options)).map((i) => [i.installationId, i]))
    const batch = store.batch()
    const changed: string[] = []
    for (const [id, key] of bundle.signedPreKeys) {
      if (own && id === ownInstallation) continue
      if (key.signedPreKey.length !== 33 || !secp.isValidPublicKey(key.signedPreKey)) continue
      const stored = known.get(id)
      if (stored !== undefined && !isNewer(key, bundle.timestamp, stored)) continue
      if (stored !== undefined && onlyRecent(key, bundle.timestamp, stored)) continue
      // Their old prekey is replaced: sessions we started from it stop sending (status-go expires the
      // old bundle, and GetAnyRatchetInfo skips sessions of expired bundles).
      if (stored !== undefined && !equalBytes(stored.signedPreKey, key.signedPreKey)) {
        for (const session of await store.sessions(identity, id, options)) {
          if (!session.expired && equalBytes(session.bundleId, stored.signedPreKey)) {
            store.putSession(batch, { ...session, expired: true })
          }
        }
      }
      store.putInstallation(batch, {
        identity,
        installationId: id,
        signedPreKey: key.signedPreKey.slice(),
        version: key.version,
        protocolVersion: key.protocolVersion,
        timestamp: bundle.timestamp,
        enabled: stored?.enabled ?? !own,
      })
      changed.push(id)
    }
    if (changed.length > 0) await batch.commit(options)
    return changed
  }

  /**
   * The installations a message to `identity` goes to: enabled, newest bundle first, at most
   * `maxInstallations` (for ourselves, this installation counts as one and is left out).
   */
  async activeInstallations(identity: Uint8Array, options?: AbortOptions): Promise<InstallationRecord[]> {
    const { store, maxInstallations, installationId } = this.#options
    const own = equalBytes(identity, this.identity)
    const limit = own ? maxInstallations - 1 : maxInstallations
    return (await store.installations(identity, options))
      .filter((record) => record.enabled && !(own && record.installationId === installationId))
      .sort(newestFirst)
      .slice(0, Math.max(0, limit))
  }

  /** Pairs (or unpairs) one of our other installations; false when we have no bundle for it. */
  async setPaired(installationId: string, paired: boolean, options?: AbortOptions): Promise<boolean> {
    const { store } = this.#options
    const record = (await store.installations(this.identity, options)).find(
      (i) => i.installationId === installationId,
    )
    if (record === undefined) return false
    const batch = store.batch()
    store.putInstallation(batch, { ...record, enabled: paired })
    await batch.commit(options)
    return true
  }
}

function isNewer(key: SignedPreKey, timestamp: bigint, stored: InstallationRecord): boolean {
  if (key.version !== stored.version) return key.version > stored.version
  return timestamp > stored.timestamp
}

function onlyRecent(key: SignedPreKey, timestamp: bigint, stored: InstallationRecord): boolean {
  return (
    key.version === stored.version &&
    key.protocolVersion === stored.protocolVersion &&
    equalBytes(key.signedPreKey, stored.signedPreKey) &&
    timestamp - stored.timestamp < INSTALLATION_TIMESTAMP_RESOLUTION_NS
  )
}

/** Orders installations by their newest bundle's timestamp, latest first. */
export function newestFirst(a: InstallationRecord, b: InstallationRecord): number {
  return a.timestamp === b.timestamp ? 0 : a.timestamp > b.timestamp ? -1 : 1
}
