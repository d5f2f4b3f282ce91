/**
 * RLPx frames:
 *
 *   frame  = header-ciphertext(16) || header-mac(16) || frame-ciphertext || frame-mac(16)
 *   header = frame-size(3, BE) || rlp([0, 0]) (c28080) || zero padding to 16
 *   frame-ciphertext = AES-256-CTR(frame-data zero-padded to a multiple of 16)
 *
 * Each direction has one AES-256-CTR keystream (key = aes secret, IV = 0) shared by headers and
 * bodies, and one FrameMac. `FrameCoder` holds both directions of one connection.
 */
import { type AesCtrStream, createAesCtrStream, equalBytes } from '@parley/crypto'
import {
  DecodeError,
  InvalidParametersError,
  LimitExceededError,
  VerificationError,
} from '@parley/interfaces'
import type { Secrets } from '../handshake/secrets.ts'
import { ByteQueue } from './byte-queue.ts'
import { FrameMac, MAC_LENGTH } from './mac.ts'

/** The largest size a 3-byte frame-size field can hold (16 MiB - 1). */
export const MAX_FRAME_SIZE = 0xffffff
const HEADER_LENGTH = 16
/** rlp([0, 0]): capability-id and context-id, both zero, as every current implementation sends. */
const HEADER_DATA = Uint8Array.of(0xc2, 0x80, 0x80)

export interface FrameCoderOptions {
  /** Largest frame body accepted from the peer (before padding). Default `MAX_FRAME_SIZE`. */
  maxFrameSize?: number
}

export type FrameSecrets = Pick<Secrets, 'aes' | 'mac' | 'egressMac' | 'ingressMac'>

const padded = (n: number): number => Math.ceil(n / 16) * 16

export class FrameCoder {
  readonly #egressCipher: AesCtrStream
  readonly #ingressCipher: AesCtrStream
  readonly #egressMac: FrameMac
  readonly #ingressMac: FrameMac
  readonly #maxFrameSize: number
  readonly #input = new ByteQueue()
  /** Body size of the frame whose header has been read, or undefined while waiting for a header. */
  #pendingSize: number | undefined
  #failed: Error | undefined

  constructor(secrets: FrameSecrets, options: FrameCoderOptions = {}) {
    const iv = new Uint8Array(16)
    this.#egressCipher = createAesCtrStream(secrets.aes, iv)
    this.#ingressCipher = createAesCtrStream(secrets.aes, iv)
    this.#egressMac = new FrameMac(secrets.mac, secrets.egressMac)
    this.#ingressMac = new FrameMac(secrets.mac, secrets.ingressMac)
    const maxFrameSize = options.maxFrameSize ?? MAX_FRAME_SIZE
    if (!Number.isSafeInteger(maxFrameSize) || maxFrameSize < 0 || maxFrameSize > MAX_FRAME_SIZE)
      throw new InvalidParametersError(`maxFrameSize must be 0..${MAX_FRAME_SIZE}`)
    this.#maxFrameSize = maxFrameSize
  }

  /** Encrypts one frame whose content is `data` (msg-id || msg-data). */
  writeFrame(data: Uint8Array): Uint8Array {
    if (data.length > MAX_FRAME_SIZE)
      throw new LimitExceededError(`frame of ${data.length} bytes exceeds ${MAX_FRAME_SIZE}`)
    const bodyLength = padded(data.length)
    const out = new Uint8Array(HEADER_LENGTH + MAC_LENGTH + bodyLength + MAC_LENGTH)
    const header = new Uint8Array(HEADER_LENGTH)
    header[0] = data.length >>> 16
    header[1] = (data.length >>> 8) & 0xff
    header[2] = data.length & 0xff
    header.set(HEADER_DATA, 3)
    const headerCiphertext = this.#egressCipher.update(header)
    out.set(headerCiphertext, 0)
    out.set(this.#egressMac.header(headerCiphertext), HEADER_LENGTH)
    const body = new Uint8Array(bodyLength)
    body.set(data, 0)
    const bodyCiphertext = this.#egressCipher.update(body)
    out.set(bodyCiphertext, HEADER_LENGTH + MAC_LENGTH)
    out.set(this.#egressMac.frame(bodyCiphertext), HEADER_LENGTH + MAC_LENGTH + bodyLength)
    return out
  }

  /**
   * Feeds bytes as they arrive (any chunking) and returns the contents of every frame completed.
   * Throws `VerificationError` on a bad MAC and `LimitExceededError` on a frame over the limit;
   * after either, the ingress state is unusable and every later call throws the same error.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed !== undefined) throw this.#failed
    this.#input.push(chunk)
    const frames: Uint8Array[] = []
    try {
      for (;;) {
        if (this.#pendingSize === undefined) {
          if (this.#input.length < HEADER_LENGTH + MAC_LENGTH) break
          this.#pendingSize = this.#readHeader(this.#input.take(HEADER_LENGTH + MAC_LENGTH))
        }
        const bodyLength = padded(this.#pendingSize)
        if (this.#input.length < bodyLength + MAC_LENGTH) break
        const frame = this.#input.take(bodyLength + MAC_LENGTH)
        frames.push(this.#readBody(frame, this.#pendingSize))
        this.#pendingSize = undefined
      }
    } catch (error) {
      this.#failed =
        error instanceof Error ? error : new DecodeError('frame decoding failed', { cause: error })
      this.#input.clear()
      throw error
    }
    return frames
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.#input.length
  }

  #readHeader(bytes: Uint8Array): number {
    const ciphertext = bytes.subarray(0, HEADER_LENGTH)
    if (!equalBytes(this.#ingressMac.header(ciphertext), bytes.subarray(HEADER_LENGTH)))
      throw new VerificationError('RLPx header MAC does not match')
    const header = this.#ingressCipher.update(ciphertext)
    const size = (header[0]! << 16) | (header[1]! << 8) | header[2]!
    if (size > this.#maxFrameSize)
      throw new LimitExceededError(`RLPx frame of ${size} bytes exceeds the limit of ${this.#maxFrameSize}`)
    return size
  }

  #readBody(bytes: Uint8Array, size: number): Uint8Array {
    const ciphertext = bytes.subarray(0, bytes.length - MAC_LENGTH)
    if (!equalBytes(this.#ingressMac.frame(ciphertext), bytes.subarray(bytes.length - MAC_LENGTH)))
      throw new VerificationError('RLPx frame MAC does not match')
    return this.#ingressCipher.update(ciphertext).subarray(0, size)
  }
}
