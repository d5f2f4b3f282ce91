import type { AbortOptions, ArchivedMessage, MessageCursor } from '@parley/interfaces'
import { compareMessages, throwIfAborted } from '@parley/store-utils'
import type { ClassicLevel, Iterator } from 'classic-level'
import {
  type Bounds,
  decodeRecord,
  decodeTopicIndex,
  extendedRange,
  type IndexEntry,
  type KeyRange,
  statusGoRange,
  topicRange,
} from './keys.ts'
import { plain } from './util.ts'

export type Level = ClassicLevel<Uint8Array, Uint8Array>

/** Entries read per step start small (a page is often short) and double up to this. */
const MAX_CHUNK = 1024

type Decode<T> = (key: Uint8Array, value: Uint8Array) => T | undefined

/** One key range read in chunks and decoded; `head` is the next item, if any. */
class Source<T extends MessageCursor> {
  readonly #iterator: Iterator<Level, Uint8Array, Uint8Array>
  readonly #decode: Decode<T>
  #buffer: T[] = []
  #index = 0
  #chunk: number
  #done = false

  constructor(db: Level, range: KeyRange, reverse: boolean, firstChunk: number, decode: Decode<T>) {
    this.#iterator = db.iterator({ ...range, reverse })
    this.#decode = decode
    this.#chunk = Math.max(8, Math.min(firstChunk, MAX_CHUNK))
  }

  async head(): Promise<T | undefined> {
    while (this.#index >= this.#buffer.length && !this.#done) {
      const entries = await this.#iterator.nextv(this.#chunk)
      this.#chunk = Math.min(this.#chunk * 2, MAX_CHUNK)
      if (entries.length === 0) this.#done = true
      this.#buffer = []
      this.#index = 0
      for (const [key, value] of entries) {
        const item = this.#decode(plain(key), plain(value))
        if (item !== undefined) this.#buffer.push(item)
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

/** Merges sorted sources into one (timestamp, hash) order, descending when `reverse`. */
async function* merge<T extends MessageCursor>(
  sources: readonly Source<T>[],
  reverse: boolean,
  options?: AbortOptions,
): AsyncGenerator<T> {
  const direction = reverse ? -1 : 1
  try {
    for (let step = 0; ; step++) {
      if (step % 1024 === 0) throwIfAborted(options)
      let next: Source<T> | undefined
      let nextItem: T | undefined
      for (const source of sources) {
        const item = await source.head()
        if (item === undefined) continue
        if (nextItem === undefined || compareMessages(item, nextItem) * direction < 0) {
          next = source
          nextItem = item
        }
      }
      if (next === undefined || nextItem === undefined) return
      next.advance()
      yield nextItem
    }
  } finally {
    await Promise.all(sources.map((source) => source.close()))
  }
}

/**
 * Every stored message within `bounds`, in (timestamp, hash) order (descending when `reverse`),
 * merging the status-go range and the extended range. `expected` sizes the first read.
 */
export function scanMessages(
  db: Level,
  bounds: Bounds,
  reverse: boolean,
  expected: number,
  options?: AbortOptions,
): AsyncGenerator<ArchivedMessage> {
  const ranges =
    compareMessages(bounds.low, bounds.high) > 0 ? [] : [statusGoRange(bounds), extendedRange(bounds)]
  const sources = ranges
    .filter((range) => range !== undefined)
    .map((range) => new Source(db, range, reverse, expected, decodeRecord))
  return merge(sources, reverse, options)
}

/**
 * The messages of `topics` within `bounds`, in order: the topic index ranges merged, then the
 * records fetched in chunks (`getMany`), so a page reads only its topics' entries.
 */
export async function* scanTopics(
  db: Level,
  topics: readonly string[],
  bounds: Bounds,
  reverse: boolean,
  expected: number,
  options?: AbortOptions,
): AsyncGenerator<ArchivedMessage> {
  if (compareMessages(bounds.low, bounds.high) > 0) return
  const sources = topics.map(
    (topic) => new Source<IndexEntry>(db, topicRange(topic, bounds), reverse, expected, decodeTopicIndex),
  )
  let chunk = Math.max(8, Math.min(expected, MAX_CHUNK))
  let pending: IndexEntry[] = []
  const fetch = async function* (entries: IndexEntry[]): AsyncGenerator<ArchivedMessage> {
    const values = await db.getMany(entries.map((entry) => entry.recordKey))
    for (const [index, entry] of entries.entries()) {
      const value = values[index]
      const message = value === undefined ? undefined : decodeRecord(entry.recordKey, plain(value))
      if (message !== undefined) yield message
    }
  }
  for await (const entry of merge(sources, reverse, options)) {
    pending.push(entry)
    if (pending.length < chunk) continue
    yield* fetch(pending)
    pending = []
    chunk = Math.min(chunk * 2, MAX_CHUNK)
  }
  yield* fetch(pending)
}
