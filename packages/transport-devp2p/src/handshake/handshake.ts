/**
 * The RLPx handshake as two pure state machines: no sockets, no timers. The session layer moves
 * the bytes:
 *
 *   const auth = initiator.makeAuth()        // → recipient
 *   recipient.readAuth(auth)
 *   const ack = recipient.makeAck()          // → initiator
 *   const a = initiator.readAck(ack)         // Secrets
 *   const b = recipient.secrets()            // Secrets, mirrored
 */
import { equalBytes, generatePrivateKey, keccak256, randomBytes } from '@parley/crypto'
import type { Secp256k1Provider } from '@parley/interfaces'
import { DecodeError, InvalidParametersError, VerificationError } from '@parley/interfaces'
import { openAck, sealAck, sealLegacyAck } from './ack.ts'
import { type AuthMessage, openAuth, sealAuth } from './auth.ts'
import { xorBytes } from './bytes.ts'
import { deriveSecrets, type Secrets, withoutPrefix, withPrefix } from './secrets.ts'

export interface HandshakeOptions {
  secp: Secp256k1Provider
  /** this node's static private key */
  privateKey: Uint8Array
  /** Fixed ephemeral key and nonce, for known-answer tests; random by default. */
  ephemeralPrivateKey?: Uint8Array
  nonce?: Uint8Array
  /** Padding after the RLP body; default 100..199 zero bytes as go-ethereum sends. */
  padding?: () => Uint8Array
  /** Accept pre-EIP-8 packets (go-ethereum does not). Default false. */
  allowLegacy?: boolean
}

abstract class HandshakeSide {
  protected readonly secp: Secp256k1Provider
  protected readonly privateKey: Uint8Array
  protected readonly ephemeralPrivateKey: Uint8Array
  protected readonly nonce: Uint8Array
  protected readonly padding: (() => Uint8Array) | undefined
  protected readonly allowLegacy: boolean
  protected result: Secrets | undefined

  constructor(options: HandshakeOptions) {
    this.secp = options.secp
    if (!options.secp.isValidPrivateKey(options.privateKey))
      throw new InvalidParametersError('handshake: invalid static private key')
    this.privateKey = options.privateKey
    this.ephemeralPrivateKey = options.ephemeralPrivateKey ?? generatePrivateKey()
    this.nonce = options.nonce ?? randomBytes(32)
    if (this.nonce.length !== 32) throw new InvalidParametersError('handshake: nonce must be 32 bytes')
    this.padding = options.padding
    this.allowLegacy = options.allowLegacy ?? false
  }

  /** The derived secrets; throws `InvalidParametersError` before the handshake has completed. */
  secrets(): Secrets {
    if (this.result === undefined) throw new InvalidParametersError('handshake has not completed')
    return this.result
  }

  protected sealOptions(): { padding?: Uint8Array } {
    return this.padding === undefined ? {} : { padding: this.padding() }
  }

  /** A 64-byte key from the wire as a curve point, or `DecodeError`. */
  protected remoteKey(publicKey: Uint8Array, what: string): Uint8Array {
    const full = withPrefix(publicKey)
    if (!this.secp.isValidPublicKey(full)) throw new DecodeError(`${what} is not a secp256k1 point`)
    return full
  }
}

export class Initiator extends HandshakeSide {
  readonly remotePublicKey: Uint8Array
  #auth: Uint8Array | undefined

  /** `remotePublicKey`: the recipient's static key, 64 or 65 bytes (from its enode URL). */
  constructor(options: HandshakeOptions & { remotePublicKey: Uint8Array }) {
    super(options)
    if (!options.secp.isValidPublicKey(withPrefix(options.remotePublicKey)))
      throw new InvalidParametersError('handshake: invalid remote public key')
    this.remotePublicKey = withPrefix(options.remotePublicKey)
  }

  makeAuth(): Uint8Array {
    if (this.#auth !== undefined) throw new InvalidParametersError('auth was already made')
    const staticShared = this.secp.ecdh(this.privateKey, this.remotePublicKey)
    const signature = this.secp.sign(xorBytes(staticShared, this.nonce), this.ephemeralPrivateKey)
    this.#auth = sealAuth(
      this.secp,
      this.remotePublicKey,
      {
        signature,
        initiatorPublicKey: withoutPrefix(this.secp.getPublicKey(this.privateKey, false)),
        nonce: this.nonce,
      },
      this.sealOptions(),
    )
    return this.#auth
  }

  /** Reads the recipient's ack and derives the secrets. */
  readAck(packet: Uint8Array): Secrets {
    if (this.#auth === undefined) throw new InvalidParametersError('readAck before makeAuth')
    if (this.result !== undefined) throw new InvalidParametersError('ack was already read')
    const ack = openAck(this.secp, this.privateKey, packet, { allowLegacy: this.allowLegacy })
    this.result = deriveSecrets({
      secp: this.secp,
      initiator: true,
      ephemeralPrivateKey: this.ephemeralPrivateKey,
      remoteEphemeralPublicKey: this.remoteKey(ack.ephemeralPublicKey, 'ack ephemeral key'),
      remotePublicKey: this.remotePublicKey,
      initiatorNonce: this.nonce,
      recipientNonce: ack.nonce,
      authPacket: this.#auth,
      ackPacket: packet,
    })
    return this.result
  }
}

export class Recipient extends HandshakeSide {
  #auth: { packet: Uint8Array; message: AuthMessage; remoteEphemeral: Uint8Array } | undefined

  /**
   * Reads the initiator's auth: decrypts it, recovers the initiator's ephemeral key from the
   * signature. Returns the message; `initiatorPublicKey` is the remote node id.
   */
  readAuth(packet: Uint8Array): AuthMessage & { remoteEphemeralPublicKey: Uint8Array } {
    if (this.#auth !== undefined) throw new InvalidParametersError('auth was already read')
    const message = openAuth(this.secp, this.privateKey, packet, { allowLegacy: this.allowLegacy })
    const initiatorKey = this.remoteKey(message.initiatorPublicKey, 'auth public key')
    const staticShared = this.secp.ecdh(this.privateKey, initiatorKey)
    const remoteEphemeral = this.secp.recover(xorBytes(staticShared, message.nonce), message.signature, false)
    if (message.legacy && !equalBytes(keccak256(remoteEphemeral.subarray(1)), message.rest[0] as Uint8Array))
      throw new VerificationError('legacy auth: ephemeral key hash does not match the signature')
    this.#auth = { packet, message, remoteEphemeral }
    return { ...message, remoteEphemeralPublicKey: withoutPrefix(remoteEphemeral) }
  }

  /** The ack to send; afterwards `secrets()` is available. */
  makeAck(): Uint8Array {
    const auth = this.#auth
    if (auth === undefined) throw new InvalidParametersError('makeAck before readAuth')
    if (this.result !== undefined) throw new InvalidParametersError('ack was already made')
    const initiatorKey = withPrefix(auth.message.initiatorPublicKey)
    const fields = {
      ephemeralPublicKey: withoutPrefix(this.secp.getPublicKey(this.ephemeralPrivateKey, false)),
      nonce: this.nonce,
    }
    // A pre-EIP-8 initiator only understands a pre-EIP-8 ack.
    const packet = auth.message.legacy
      ? sealLegacyAck(this.secp, initiatorKey, fields)
      : sealAck(this.secp, initiatorKey, fields, this.sealOptions())
    this.result = deriveSecrets({
      secp: this.secp,
      initiator: false,
      ephemeralPrivateKey: this.ephemeralPrivateKey,
      remoteEphemeralPublicKey: auth.remoteEphemeral,
      remotePublicKey: initiatorKey,
      initiatorNonce: auth.message.nonce,
      recipientNonce: this.nonce,
      authPacket: auth.packet,
      ackPacket: packet,
    })
    return packet
  }
}
