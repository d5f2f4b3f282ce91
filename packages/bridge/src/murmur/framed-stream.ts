/**
 * Length-prefixed frames over a libp2p stream (js-libp2p's duplex: `source` of byte chunks, `sink`
 * taking an async iterable). A frame over `maxFrameSize` ends the stream: after a bad length prefix
 * nothing that follows can be trusted to line up.
 */
import { LimitExceededError } from '@parley/interfaces'

/** What a js-libp2p stream offers (chunks are `Uint8Array` or `Uint8ArrayList`, both with `subarray`). */
export interface DuplexStream {
  source: AsyncIterable<{ subarray(): Uint8Array }>
  sink(source: AsyncIterable<Uint8Array>): Promise<void>
  abort(error: Error): void
  close?(): Promise<void>
}

const MAX_VARINT_BYTES = 5

export function encodeLength(length: number): Uint8Array {
  const bytes: number[] = []
  let rest = length
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}

/** Splits a byte stream into frames; throws `LimitExceededError` for one over `maxFrameSize`. */
export async function* readFrames(
  source: AsyncIterable<{ subarray(): Uint8Array }>,
  maxFrameSize: number,
): AsyncGenerator<Uint8Array> {
  let buffer: Uint8Array = new Uint8Array(0)
  for await (const chunk of source) {
    buffer = concat(buffer, chunk.subarray())
    for (;;) {
      const header = readLength(buffer)
      if (header === undefined) break
      if (header.length > maxFrameSize)
        throw new LimitExceededError(`frame of ${header.length} bytes, over the ${maxFrameSize}-byte limit`)
      const end = header.offset + header.length
      if (buffer.length < end) break
      yield buffer.slice(header.offset, end)
      buffer = buffer.subarray(end)
    }
  }
}

function readLength(buffer: Uint8Array): { length: number; offset: number } | undefined {
  let length = 0
  for (let index = 0; index < Math.min(buffer.length, MAX_VARINT_BYTES); index++) {
    const byte = buffer[index] ?? 0
    length += (byte & 0x7f) * 2 ** (7 * index)
    if ((byte & 0x80) === 0) return { length, offset: index + 1 }
  }
  if (buffer.length >= MAX_VARINT_BYTES) return { length: Number.POSITIVE_INFINITY, offset: 0 }
  return undefined
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const joined = new Uint8Array(a.length + b.length)
  joined.set(a)
  joined.set(b, a.length)
  return joined
}

/** The writing half: frames queued by `write` go out in order through one `sink` call. */
export class FrameWriter {
  readonly #queue: Uint8Array[] = []
  #wake: (() => void) | undefined
  #closed = false
  readonly done: Promise<void>

  constructor(stream: DuplexStream) {
    this.done = stream.sink(this.#frames()).catch(() => undefined)
  }

  write(frame: Uint8Array): void {
    if (this.#closed) return
    this.#queue.push(encodeLength(frame.length), frame)
    this.#wake?.()
  }

  close(): void {
    this.#closed = true
    this.#wake?.()
  }

  async *#frames(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = this.#queue.shift()
      if (next !== undefined) {
        yield next
        continue
      }
      if (this.#closed) return
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
      this.#wake = undefined
    }
  }
}
