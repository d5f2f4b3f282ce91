/**
 * Collects one handshake packet (auth or ack) from bytes that arrive in pieces. The size prefix
 * says how long the packet is; whatever follows it in the same piece already belongs to the frame
 * stream and is handed back as `rest`.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { LEGACY_ACK_LENGTH } from './ack.ts'
import { LEGACY_AUTH_LENGTH } from './auth.ts'
import { eip8PacketLength } from './eip8.ts'

export interface HandshakePacketReaderOptions {
  kind: 'auth' | 'ack'
  /** A first byte of 0x04 means a pre-EIP-8 packet of fixed length (the @ethereumjs rule). Default false. */
  allowLegacy?: boolean
}

export class HandshakePacketReader {
  readonly #legacyLength: number | undefined
  #buffer = new Uint8Array(0)
  #done = false

  constructor(options: HandshakePacketReaderOptions) {
    const legacyLength = options.kind === 'auth' ? LEGACY_AUTH_LENGTH : LEGACY_ACK_LENGTH
    this.#legacyLength = options.allowLegacy === true ? legacyLength : undefined
  }

  /**
   * Adds a piece; returns the packet once it is complete, with the bytes after it. Throws
   * `LimitExceededError` as soon as the prefix announces more than 2048 bytes.
   */
  push(chunk: Uint8Array): { packet: Uint8Array; rest: Uint8Array } | undefined {
    if (this.#done) throw new InvalidParametersError('the handshake packet was already read')
    const buffer = new Uint8Array(this.#buffer.length + chunk.length)
    buffer.set(this.#buffer, 0)
    buffer.set(chunk, this.#buffer.length)
    this.#buffer = buffer
    if (buffer.length < 2) return undefined
    const length =
      this.#legacyLength !== undefined && buffer[0] === 0x04 ? this.#legacyLength : eip8PacketLength(buffer)
    if (buffer.length < length) return undefined
    this.#done = true
    this.#buffer = new Uint8Array(0)
    return { packet: buffer.subarray(0, length), rest: buffer.subarray(length) }
  }
}
