import { AbortError, TimeoutError } from '@parley/interfaces'
import type { Clock } from './clock.ts'
import type { RendezvousMessage } from './messages.ts'
import { RendezvousReader } from './reader.ts'

/** The part of a js-libp2p stream this package uses (chunks are `Uint8Array`s or `Uint8ArrayList`s). */
export interface RendezvousStream {
  source: AsyncIterable<Uint8Array | { subarray(): Uint8Array }>
  sink(source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void>
  close?(): Promise<void>
  abort(error: Error): void
}

export interface ReadOptions {
  signal?: AbortSignal
  /** bound on the whole read */
  timeoutMs: number
  clock: Clock
  maxItemBytes?: number
  /** told the size of every chunk read */
  onBytes?: (count: number) => void
}

/**
 * Reads the first message of `stream`, or `undefined` when it ends cleanly before one. Throws
 * `RendezvousDecodeError` for malformed bytes, `TimeoutError` after `timeoutMs`, `AbortError` when
 * `signal` aborts; on a timeout or abort the stream is aborted, which ends the read at once.
 */
export async function readFirstMessage(
  stream: RendezvousStream,
  options: ReadOptions,
): Promise<RendezvousMessage | undefined> {
  const reader = new RendezvousReader(
    options.maxItemBytes === undefined ? {} : { maxItemBytes: options.maxItemBytes },
  )
  let failure: Error | undefined
  const fail = (error: Error) => {
    failure ??= error
    stream.abort(error)
  }
  const timer = options.clock.setTimeout(
    () => fail(new TimeoutError(`no rendezvous message within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  )
  const onAbort = () => fail(new AbortError('rendezvous read aborted'))
  if (options.signal?.aborted) onAbort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const chunk of stream.source) {
      const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray()
      options.onBytes?.(bytes.length)
      const [first] = reader.push(bytes)
      if (first !== undefined) return first
    }
    if (failure !== undefined) throw failure
    reader.end()
    return undefined
  } catch (error) {
    throw failure ?? error
  } finally {
    options.clock.clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}
