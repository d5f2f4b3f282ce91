/**
 * One Double Ratchet session as status-im/doubleratchet runs it for status-go (no header
 * encryption). Decryption works on a copy of the state and commits only after the MAC checks, so a
 * forged, tampered or replayed message leaves the session unchanged.
 */
import { concatBytes, equalBytes, generatePrivateKey } from '@parley/crypto'
import {
  DecodeError,
  InvalidParametersError,
  ParleyError,
  type Secp256k1Provider,
  VerificationError,
} from '@parley/interfaces'
import { ReplayError, TooManySkippedError } from '../errors.ts'
import { encodeHeader, kdfCk, kdfRk, openMessage, type RatchetHeader, sealMessage } from './kdf.ts'
import { type SkippedKey, SkippedKeys } from './skipped-keys.ts'
import { parseState, type RatchetLimits, type RatchetState, STATUS_LIMITS, serializeState } from './state.ts'

const UINT32_MAX = 0xffff_ffff
const EMPTY = new Uint8Array(0)

export interface RatchetOptions {
  /** defaults to status-go's encryptor limits (`STATUS_LIMITS`) */
  limits?: Partial<RatchetLimits>
  /** source of ratchet private keys; tests pass fixed keys to reproduce vectors */
  generateKey?: () => Uint8Array
}

export interface InitiatorParams {
  /** X3DH shared key */
  sharedKey: Uint8Array
  /** the responder's signed prekey (33-byte compressed), the first remote ratchet key */
  theirSignedPreKey: Uint8Array
}

export interface ResponderParams {
  /** X3DH shared key */
  sharedKey: Uint8Array
  /** our signed prekey pair, the first local ratchet key */
  signedPreKey: { privateKey: Uint8Array; publicKey: Uint8Array }
}

export interface RatchetMessage {
  header: RatchetHeader
  /** `IV || AES-256-CTR || HMAC-SHA256` */
  ciphertext: Uint8Array
}

function checkSharedKey(sharedKey: Uint8Array): void {
  if (sharedKey.length !== 32 || sharedKey.every((byte) => byte === 0)) {
    throw new InvalidParametersError('shared key must be 32 non-zero bytes')
  }
}

export class RatchetSession {
  readonly #secp: Secp256k1Provider
  readonly #generateKey: () => Uint8Array
  #state: RatchetState
  readonly #skipped: SkippedKeys

  private constructor(
    secp: Secp256k1Provider,
    state: RatchetState,
    skipped: Iterable<SkippedKey>,
    options: RatchetOptions,
  ) {
    this.#secp = secp
    this.#generateKey = options.generateKey ?? generatePrivateKey
    this.#state = state
    this.#skipped = new SkippedKeys()
    for (const key of skipped) this.#skipped.put(key)
  }

  /** The sender of the first message (status-go `NewWithRemoteKey(SK, SPK_B)`). */
  static initiator(
    secp: Secp256k1Provider,
    params: InitiatorParams,
    options: RatchetOptions = {},
  ): RatchetSession {
    checkSharedKey(params.sharedKey)
    const privateKey = (options.generateKey ?? generatePrivateKey)()
    const dhs = { privateKey, publicKey: secp.getPublicKey(privateKey, true) }
    const dhr = secp.convertPublicKey(params.theirSignedPreKey, true)
    const step = kdfRk(params.sharedKey, secp.ecdh(privateKey, dhr))
    const state: RatchetState = {
      rootKey: step.rootKey,
      dhs,
      dhr,
      send: { chainKey: step.chainKey, n: 0 },
      // The library starts every chain at SK; the receiving one is replaced by the first DH step.
      recv: { chainKey: params.sharedKey.slice(), n: 0 },
      pn: 0,
      keysCount: 0,
      limits: { ...STATUS_LIMITS, ...options.limits },
    }
    return new RatchetSession(secp, state, [], options)
  }

  /** The receiver of the first message (status-go `New(SK, SPK_B key pair)`). */
  static responder(
    secp: Secp256k1Provider,
    params: ResponderParams,
    options: RatchetOptions = {},
  ): RatchetSession {
    checkSharedKey(params.sharedKey)
    const state: RatchetState = {
      rootKey: params.sharedKey.slice(),
      dhs: {
        privateKey: params.signedPreKey.privateKey.slice(),
        publicKey: secp.convertPublicKey(params.signedPreKey.publicKey, true),
      },
      dhr: undefined,
      send: { chainKey: params.sharedKey.slice(), n: 0 },
      recv: { chainKey: params.sharedKey.slice(), n: 0 },
      pn: 0,
      keysCount: 0,
      limits: { ...STATUS_LIMITS, ...options.limits },
    }
    return new RatchetSession(secp, state, [], options)
  }

  /** A session from `serialize()` output. Throws `DecodeError` on malformed data. */
  static restore(secp: Secp256k1Provider, data: Uint8Array, options: RatchetOptions = {}): RatchetSession {
    const { state, skipped } = parseState(data)
    return new RatchetSession(secp, state, skipped, options)
  }

  /** Number of skipped message keys held. */
  get skippedKeyCount(): number {
    return this.#skipped.size
  }

  /** `ad` is caller associated data placed before the header; status-go passes none. */
  encrypt(plaintext: Uint8Array, ad: Uint8Array = EMPTY): RatchetMessage {
    const state = this.#state
    if (state.send.n >= UINT32_MAX) throw new ParleyError('sending chain exhausted', 'ERR_RATCHET_EXHAUSTED')
    const header: RatchetHeader = { dh: state.dhs.publicKey.slice(), n: state.send.n, pn: state.pn }
    const { chainKey, messageKey } = kdfCk(state.send.chainKey)
    state.send = { chainKey, n: state.send.n + 1 }
    return { header, ciphertext: sealMessage(messageKey, plaintext, concatBytes(ad, encodeHeader(header))) }
  }

  /**
   * Decrypts a message in any order within the skip window. Throws `DecodeError` on a malformed
   * header or short ciphertext and `VerificationError` on a bad MAC, a replay, a key evicted or
   * never derived, or a message too far ahead; the session is then unchanged.
   */
  decrypt(header: RatchetHeader, ciphertext: Uint8Array, ad: Uint8Array = EMPTY): Uint8Array {
    checkHeader(header)
    const fullAd = concatBytes(ad, encodeHeader(header))
    const stored = this.#skipped.get(header.dh, header.n)
    if (stored !== undefined) {
      const plaintext = openMessage(stored.messageKey, ciphertext, fullAd)
      this.#skipped.delete(header.dh, header.n)
      return plaintext
    }
    const work: RatchetState = { ...this.#state }
    const fresh: SkippedKey[] = []
    if (work.dhr === undefined || !equalBytes(work.dhr, header.dh)) {
      this.#skip(work, header.pn, fresh)
      this.#dhRatchet(work, header.dh)
    }
    this.#skip(work, header.n, fresh)
    const { chainKey, messageKey } = kdfCk(work.recv.chainKey)
    work.recv = { chainKey, n: work.recv.n + 1 }
    const plaintext = openMessage(messageKey, ciphertext, fullAd)
    this.#commit(work, fresh)
    return plaintext
  }

  /** The whole state as bytes (binary, state.ts); it holds private keys, so store it as a secret. */
  serialize(): Uint8Array {
    return serializeState(this.#state, this.#skipped.values())
  }

  #skip(work: RatchetState, until: number, fresh: SkippedKey[]): void {
    if (until < work.recv.n) throw new ReplayError('message key already used or evicted (replay?)')
    if (work.recv.n + work.limits.maxSkip < until) throw new TooManySkippedError('too many skipped messages')
    const dh = work.dhr ?? EMPTY
    let { chainKey, n } = work.recv
    while (n < until) {
      const step = kdfCk(chainKey)
      fresh.push({ dh, n, messageKey: step.messageKey, seq: work.keysCount })
      work.keysCount++
      chainKey = step.chainKey
      n++
    }
    work.recv = { chainKey, n }
  }

  #dhRatchet(work: RatchetState, theirKey: Uint8Array): void {
    let received: Uint8Array
    try {
      received = this.#secp.ecdh(work.dhs.privateKey, theirKey)
    } catch (cause) {
      throw new VerificationError('ratchet header carries an invalid public key', { cause })
    }
    work.pn = work.send.n
    work.dhr = theirKey.slice()
    const recvStep = kdfRk(work.rootKey, received)
    const privateKey = this.#generateKey()
    work.dhs = { privateKey, publicKey: this.#secp.getPublicKey(privateKey, true) }
    const sendStep = kdfRk(recvStep.rootKey, this.#secp.ecdh(privateKey, theirKey))
    work.rootKey = sendStep.rootKey
    work.recv = { chainKey: recvStep.chainKey, n: 0 }
    work.send = { chainKey: sendStep.chainKey, n: 0 }
  }

  #commit(work: RatchetState, fresh: readonly SkippedKey[]): void {
    this.#state = work
    for (const key of fresh) this.#skipped.put(key)
    this.#skipped.truncate(work.limits.maxMessageKeys)
    if (work.keysCount >= work.limits.maxKeep) this.#skipped.deleteUpTo(work.keysCount - work.limits.maxKeep)
  }
}

function isUint32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX
}

function checkHeader(header: RatchetHeader): void {
  if (!(header.dh instanceof Uint8Array) || header.dh.length !== 33) {
    throw new DecodeError('ratchet header key must be a 33-byte compressed public key')
  }
  if (!isUint32(header.n) || !isUint32(header.pn))
    throw new DecodeError('ratchet header numbers must be uint32')
}
