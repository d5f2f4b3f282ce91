import { decode, toNumber } from '@parley/rlp'
import { decodeBody, hasBody, messageTypeOf, RendezvousDecodeError } from './codec.ts'
import { MessageType, type MessageTypeNumber, type RendezvousMessage } from './messages.ts'

export interface RendezvousReaderOptions {
  /** Largest RLP item (type or body) accepted; bigger ones fail before being buffered. Default 64 KiB. */
  maxItemBytes?: number
}

/** A DiscoverResponse holds at most a few dozen 300-byte ENRs; 64 KiB leaves ample room. */
export const DEFAULT_MAX_ITEM_BYTES = 64 * 1024

/**
 * The total size of the RLP item at the start of `bytes`, or `undefined` while its header is
 * incomplete. Canonical form is checked later, by the strict decoder.
 */
function itemSize(bytes: Uint8Array, max: number): number | undefined {
  const first = bytes[0]
  if (first === undefined) return undefined
  if (first < 0x80) return 1
  if (first <= 0xb7) return 1 + first - 0x80
  if (first >= 0xc0 && first <= 0xf7) return 1 + first - 0xc0
  const lengthOfLength = first - (first < 0xc0 ? 0xb7 : 0xf7)
  if (bytes.length < 1 + lengthOfLength) return undefined
  let length = 0
  for (let index = 1; index <= lengthOfLength; index++) {
    length = length * 256 + (bytes[index] ?? 0)
    // Stop before the number stops being exact; anything this large is over the cap anyway.
    if (length > max) return Number.POSITIVE_INFINITY
  }
  return 1 + lengthOfLength + length
}

/**
 * Turns stream chunks into messages. Chunks may split or join messages anywhere. Anything
 * malformed throws `RendezvousDecodeError` (a `DecodeError`), after which the reader stays failed:
 * the stream has lost its framing.
 */
export class RendezvousReader {
  readonly #max: number
  // Bytes [#start, #end) of #storage are unread; storage grows by doubling, so byte-sized chunks stay linear.
  #storage = new Uint8Array(256)
  #start = 0
  #end = 0
  #pendingType: MessageTypeNumber | undefined
  #failure: RendezvousDecodeError | undefined

  constructor(options: RendezvousReaderOptions = {}) {
    this.#max = options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES
  }

  /** The messages completed by this chunk, in order. */
  push(chunk: Uint8Array): RendezvousMessage[] {
    if (this.#failure !== undefined) throw this.#failure
    this.#append(chunk)
    const messages: RendezvousMessage[] = []
    try {
      for (let message = this.#next(); message !== undefined; message = this.#next()) messages.push(message)
    } catch (error) {
      this.#failure =
        error instanceof RendezvousDecodeError
          ? error
          : new RendezvousDecodeError(`bad rendezvous stream: ${String(error)}`, this.#pendingType, {
              cause: error,
            })
      throw this.#failure
    }
    return messages
  }

  /** Call when the stream ends: throws if a message was cut off. */
  end(): void {
    if (this.#failure !== undefined) throw this.#failure
    if (this.buffered > 0 || this.#pendingType !== undefined) {
      this.#failure = new RendezvousDecodeError('stream ended inside a message', this.#pendingType)
      throw this.#failure
    }
  }

  /** Bytes held for an incomplete item. */
  get buffered(): number {
    return this.#end - this.#start
  }

  #append(chunk: Uint8Array): void {
    const unread = this.#end - this.#start
    if (this.#end + chunk.length > this.#storage.length) {
      const needed = unread + chunk.length
      if (needed > this.#storage.length) {
        const storage = new Uint8Array(Math.max(needed, this.#storage.length * 2))
        storage.set(this.#storage.subarray(this.#start, this.#end))
        this.#storage = storage
      } else {
        this.#storage.copyWithin(0, this.#start, this.#end)
      }
      this.#start = 0
      this.#end = unread
    }
    this.#storage.set(chunk, this.#end)
    this.#end += chunk.length
  }

  #next(): RendezvousMessage | undefined {
    if (this.#pendingType === undefined) {
      const item = this.#take()
      if (item === undefined) return undefined
      let type: number
      try {
        type = toNumber(decode(item), 1, 'message type')
      } catch (error) {
        throw new RendezvousDecodeError('bad rendezvous message type', undefined, { cause: error })
      }
      this.#pendingType = messageTypeOf(type)
      if (!hasBody(this.#pendingType)) {
        this.#pendingType = undefined
        return { type: MessageType.REMOTEIP }
      }
    }
    const body = this.#take()
    if (body === undefined) return undefined
    const type = this.#pendingType
    this.#pendingType = undefined
    return decodeBody(type, body)
  }

  #take(): Uint8Array | undefined {
    const unread = this.#storage.subarray(this.#start, this.#end)
    const size = itemSize(unread, this.#max)
    if (size === undefined) return undefined
    if (size > this.#max) {
      throw new RendezvousDecodeError(`RLP item over ${this.#max} bytes`, this.#pendingType)
    }
    if (unread.length < size) return undefined
    this.#start += size
    return unread.slice(0, size)
  }
}
