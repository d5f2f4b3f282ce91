import type { AbortOptions, ArchivedMessage, MessageCursor } from '@parley/interfaces'
import type { ClassicLevel, Iterator } from 'classic-level'
import { type Bounds, decodeRecord, extendedRange, type KeyRange, statusGoRange } from './keys.ts'
import { plain, throwIfAborted } from './util.ts'

export type Level = ClassicLevel<Uint8Array, Uint8Array>

/** Entries read per step start small (a page is often short) and double up to this. */
const MAX_CHUNK = 1024

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) {
    const difference = (a[index] as number) - (b[index] as number)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

export function compareMessages(a: MessageCursor, b: MessageCursor): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  return compareBytes(a.hash, b.hash)
}

/** One key range read in chunks, decoded to messages; `head` is the next message, if any. */
class Source {
  readonly #iterator: Iterator<Level, Uint8Array, Uint8Array>
  #buffer: ArchivedMessage[] = []
  #index = 0
  #chunk: number
  #done = false

  constructor(db: Level, range: KeyRange, reverse: boolean, firstChunk: number) {
    this.#iterator = db.iterator({ ...range, reverse })
    this.#chunk = Math.max(8, Math.min(firstChunk, MAX_CHUNK))
  }

  async head(): Promise<ArchivedMessage | undefined> {
    while (this.#index >= this.#buffer.length && !this.#done) {
      const entries = await this.#iterator.nextv(this.#chunk)
      this.#chunk = Math.min(this.#chunk * 2, MAX_CHUNK)
      if (entries.length === 0) this.#done = true
      this.#buffer = []
      this.#index = 0
      for (const [key, value] of entries) {
        const message = decodeRecord(plain(key), plain(value))
        if (message !== undefined) this.#buffer.push(message)
      }
    }
    return this.#buffer[this.#index]
  }

  advance(): void {
    this.#index += 1
  }

  close(): Promise<void> {
    return this.#iterator.close()
  }
}

/**
 * Every stored message within `bounds`, in (timestamp, hash) order (descending when `reverse`),
 * merging the status-go range and the extended range. `expected` sizes the first read.
 */
export async function* scanMessages(
  db: Level,
  bounds: Bounds,
  reverse: boolean,
  expected: number,
  options?: AbortOptions,
): AsyncGenerator<ArchivedMessage> {
  if (compareMessages(bounds.low, bounds.high) > 0) return
  const ranges = [statusGoRange(bounds), extendedRange(bounds)].filter((range) => range !== undefined)
  const sources = ranges.map((range) => new Source(db, range, reverse, expected))
  const direction = reverse ? -1 : 1
  try {
    for (let step = 0; ; step++) {
      if (step % 1024 === 0) throwIfAborted(options)
      let next: Source | undefined
      let nextMessage: ArchivedMessage | undefined
      for (const source of sources) {
        const message = await source.head()
        if (message === undefined) continue
        if (nextMessage === undefined || compareMessages(message, nextMessage) * direction < 0) {
          next = source
          nextMessage = message
        }
      }
      if (next === undefined || nextMessage === undefined) return
      next.advance()
      yield nextMessage
    }
  } finally {
    await Promise.all(sources.map((source) => source.close()))
  }
}
