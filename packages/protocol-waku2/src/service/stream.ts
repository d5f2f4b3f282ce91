/**
 * One varint-length-prefixed protobuf each way on its own libp2p stream: the exchange every Waku v2
 * request/response protocol (store, filter-subscribe, lightpush, peer exchange) uses.
 */
import type { AbortOptions } from '@parley/interfaces'
import { type LengthPrefixedStream, lpStream } from 'it-length-prefixed-stream'

/** The members of a libp2p 2.x `Stream` used here (`protocol` is the negotiated one). */
export type ServiceStream = Parameters<typeof lpStream>[0] & {
  readonly protocol?: string
  close(options?: AbortOptions): Promise<void>
  abort(error: Error): void
}

/** Resets `stream`, passing `cause` on (wrapped when it is not an `Error`). */
export function abortStream(stream: Pick<ServiceStream, 'abort'>, cause: unknown): void {
  stream.abort(cause instanceof Error ? cause : new Error(String(cause)))
}

/** True when `error` is it-length-prefixed-stream's refusal of an over-long frame. */
export function isOversize(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'InvalidDataLengthError' || error.name === 'InvalidDataLengthLengthError')
  )
}

/**
 * The client's half: writes `request` as one frame, reads one response frame of at most
 * `maxResponseSize` bytes and closes. On any failure the stream is reset and the error rethrown.
 */
export async function requestResponse(
  stream: ServiceStream,
  request: Uint8Array,
  options: AbortOptions & { maxResponseSize: number },
): Promise<Uint8Array> {
  const { signal } = options
  try {
    const framed = lpStream(stream, { maxDataLength: options.maxResponseSize })
    await framed.write(request, { signal })
    const response = await framed.read({ signal })
    await stream.close({ signal })
    return response.subarray()
  } catch (error) {
    abortStream(stream, error)
    throw error
  }
}

/**
 * The server's half, in two steps so a service may answer without reading (a rate-limit refusal)
 * and tell a frame over its limit from a broken stream.
 */
export class ServedRequest {
  readonly #stream: ServiceStream
  readonly #framed: LengthPrefixedStream

  constructor(stream: ServiceStream, maxRequestSize: number) {
    this.#stream = stream
    this.#framed = lpStream(stream, { maxDataLength: maxRequestSize })
  }

  /**
   * The request frame; `'oversize'` when its length prefix alone exceeded the limit (nothing of the
   * body was buffered), `undefined` when the stream failed before a frame arrived.
   */
  async read(options: AbortOptions = {}): Promise<Uint8Array | 'oversize' | undefined> {
    try {
      return (await this.#framed.read({ signal: options.signal })).subarray()
    } catch (error) {
      return isOversize(error) ? 'oversize' : undefined
    }
  }

  /** Writes `response` as one frame and closes; on failure resets the stream and rethrows. */
  async reply(response: Uint8Array, options: AbortOptions = {}): Promise<void> {
    try {
      await this.#framed.write(response, { signal: options.signal })
      await this.#stream.close({ signal: options.signal })
    } catch (error) {
      abortStream(this.#stream, error)
      throw error
    }
  }

  /** Resets the stream without answering. */
  abort(cause: unknown): void {
    abortStream(this.#stream, cause)
  }
}
